"""The review route admin under /admin/review-routes/ (namespace `approvals`), for every subject kind."""

from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("admin/review-routes/", views.route_list, name="route_list"),
    path("admin/review-routes/new/", views.route_edit, name="route_create"),
    path("admin/review-routes/<int:pk>/", views.route_edit, name="route_edit"),
]
