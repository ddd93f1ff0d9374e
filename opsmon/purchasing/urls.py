from django.urls import path

from . import views

app_name = "purchasing"
urlpatterns = [
    path("", views.order_list, name="order_list"),
    path("from-sourcing/<int:sourcing_pk>/", views.create_orders, name="create_orders"),
    path("<int:pk>/", views.order_detail, name="order_detail"),
    path("<int:pk>/edit/", views.order_edit, name="order_edit"),
    path("<int:pk>/submit/", views.order_submit, name="order_submit"),
    path("<int:pk>/decide/", views.order_decide, name="order_decide"),
    path("<int:pk>/sign/", views.order_sign, name="order_sign"),
    path("<int:pk>/cancel/", views.order_cancel, name="order_cancel"),
    path("<int:pk>/terminate/", views.order_terminate, name="order_terminate"),
    path("<int:pk>/close/", views.order_close, name="order_close"),
    path("<int:pk>/amend/", views.order_amend, name="order_amend"),
    path("<int:pk>/document/", views.order_document, name="order_document"),
    path("<int:pk>/signed-copy/", views.signed_copy, name="signed_copy"),
]
