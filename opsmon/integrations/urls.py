from django.urls import path

from . import views

app_name = "integrations"
urlpatterns = [
    path("", views.endpoint_list, name="endpoint_list"),
    path("new/", views.endpoint_edit, name="endpoint_create"),
    path("<int:pk>/", views.endpoint_edit, name="endpoint_edit"),
    path("deliveries/", views.delivery_list, name="delivery_list"),
]
