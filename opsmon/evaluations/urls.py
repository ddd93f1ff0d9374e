from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("orders/<int:order_pk>/", views.evaluate, name="evaluate"),
]
