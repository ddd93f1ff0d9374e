from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [
    path("projects/<int:pk>/", views.project_resources, name="project"),
    path("projects/<int:pk>/new/", views.request_new, name="new"),
    path("projects/<int:pk>/effort/", views.effort_log, name="effort_log"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/edit/", views.request_edit, name="edit"),
    path("requests/<int:pk>/submit/", views.request_submit, name="submit"),
    path("requests/<int:pk>/approve/", views.request_approve, name="approve"),
    path("requests/<int:pk>/reject/", views.request_reject, name="reject"),
    path("requests/<int:pk>/reopen/", views.request_reopen, name="reopen"),
]
