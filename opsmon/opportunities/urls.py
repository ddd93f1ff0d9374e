from django.urls import include, path

app_name = "opportunities"
urlpatterns = [
    path("", include("opsmon.opportunities.urls_excel")),
]
