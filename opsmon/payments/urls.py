from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("", views.payment_list, name="list"),
    path("new/", views.payment_new, name="new"),
    path("<int:pk>/", views.payment_detail, name="detail"),
    path("<int:pk>/submit/", views.payment_submit, name="submit"),
    path("<int:pk>/decide/", views.payment_decide, name="decide"),
    path("<int:pk>/pay/", views.payment_pay, name="pay"),
    path("<int:pk>/cancel/", views.payment_cancel, name="cancel"),
    path("retentions/", views.retention_list, name="retention_list"),
    path("retentions/<int:pk>/", views.retention_detail, name="retention_detail"),
    path("retentions/<int:pk>/sign-off/", views.retention_sign_off, name="retention_sign_off"),
    path("retentions/<int:pk>/release/", views.retention_release, name="retention_release"),
]
