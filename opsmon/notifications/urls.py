from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read-all/", views.read_all, name="read_all"),
    path("notifications/<int:pk>/open/", views.notification_open, name="open"),
    path("notifications/settings/", views.preferences, name="preferences"),
    path("admin/robots/", views.robot_list, name="robot_list"),
    path("admin/robots/new/", views.robot_edit, name="robot_create"),
    path("admin/robots/<int:pk>/", views.robot_edit, name="robot_edit"),
    path("admin/robots/<int:pk>/test/", views.robot_test, name="robot_test"),
    path("admin/outbox/", views.outbox_list, name="outbox"),
    path("admin/outbox/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
]
