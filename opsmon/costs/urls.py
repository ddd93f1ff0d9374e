from django.urls import path

from . import views

app_name = "costs"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("contracts/<int:pk>/margin/", views.contract_margin, name="contract_margin"),
]
