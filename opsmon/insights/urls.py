from django.urls import path

from . import receivables, resources, views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("funnel/<slug:stage>/", views.funnel_stage, name="funnel_stage"),
    path("receivables-ageing/", receivables.panel, name="receivables_ageing"),
    path("resources/", resources.panel, name="resources"),
]
