from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("funnel/<slug:stage>/", views.funnel_stage, name="funnel_stage"),
]
