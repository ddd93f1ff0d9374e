from django.urls import path

from . import views

app_name = "receiving"
urlpatterns = [
    path("", views.receipt_list, name="list"),
    path("orders/<int:order_pk>/new/", views.receipt_new, name="new"),
    path("<int:pk>/", views.receipt_detail, name="detail"),
    path("<int:pk>/submit/", views.receipt_submit, name="submit"),
    path("<int:pk>/accept/", views.receipt_accept, name="accept"),
    path("<int:pk>/cancel/", views.receipt_cancel, name="cancel"),
]
