from django.urls import path

from . import views

app_name = "calendars"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("link/", views.create, name="create"),
    path("revoke/", views.revoke, name="revoke"),
    path("<str:key>.ics", views.feed, name="feed"),
]
