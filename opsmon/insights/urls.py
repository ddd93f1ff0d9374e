from django.urls import path

from . import daily_views, receivables, resources, views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("funnel/<slug:stage>/", views.funnel_stage, name="funnel_stage"),
    path("receivables-ageing/", receivables.panel, name="receivables_ageing"),
    path("resources/", resources.panel, name="resources"),
    path("trend/", daily_views.trend, name="trend"),
    path("activity/", daily_views.activity, name="activity"),
    path("management/", daily_views.management, name="management"),
    path("records/<slug:kind>/", daily_views.records, name="records"),
]
