from django.urls import path

from . import views

app_name = "procurement"
urlpatterns = [
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("requests/<int:pk>/submit/", views.request_submit, name="request_submit"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/close/", views.request_close, name="request_close"),
    path("projects/<int:pk>/budget/", views.budget_page, name="budget"),
    path("projects/<int:pk>/budget/save/", views.budget_save, name="budget_save"),
    path("projects/<int:pk>/budget/submit/", views.budget_submit, name="budget_submit"),
    path("projects/<int:pk>/budget/decide/", views.budget_decide, name="budget_decide"),
    path("settings/", views.settings_page, name="settings"),
]
