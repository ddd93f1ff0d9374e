"""The supplier pages under /suppliers/ (namespace `suppliers`)."""

from django.urls import path

from . import views

app_name = "suppliers"
urlpatterns = [
    path("suppliers/", views.supplier_list, name="list"),
    path("suppliers/export.xlsx", views.supplier_export, name="export"),
    path("suppliers/import/", views.supplier_import, name="import"),
    path("suppliers/new/", views.supplier_create, name="create"),
    path("suppliers/<int:pk>/", views.supplier_detail, name="detail"),
    path("suppliers/<int:pk>/edit/", views.supplier_edit, name="edit"),
    path("suppliers/<int:pk>/qualifications/", views.qualification_add, name="qualification_add"),
    path("suppliers/<int:pk>/bank-accounts/", views.bank_account_add, name="bank_account_add"),
    path("suppliers/<int:pk>/qualify/", views.supplier_qualify, name="qualify"),
    path("suppliers/<int:pk>/suspend/", views.supplier_suspend, name="suspend"),
    path("suppliers/<int:pk>/blacklist/", views.supplier_blacklist, name="blacklist"),
    path("suppliers/<int:pk>/restore/", views.supplier_restore, name="restore"),
    path("suppliers/qualifications/<int:pk>/download/", views.qualification_download, name="qualification_download"),
]
