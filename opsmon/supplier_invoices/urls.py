from django.urls import path

from . import views

app_name = "supplier_invoices"
urlpatterns = [
    path("", views.invoice_list, name="list"),
    path("new/", views.invoice_new, name="new"),
    path("<int:pk>/", views.invoice_detail, name="detail"),
    path("<int:pk>/file/", views.invoice_file, name="file"),
    path("<int:pk>/accept-variance/", views.invoice_accept_variance, name="accept_variance"),
    path("<int:pk>/verify/", views.invoice_verify, name="verify"),
    path("<int:pk>/cancel/", views.invoice_cancel, name="cancel"),
]
