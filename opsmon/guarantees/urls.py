"""The guarantee letter pages under /guarantee-letters/ (namespace `guarantees`)."""

from django.urls import path

from . import views

app_name = "guarantees"
urlpatterns = [
    path("guarantee-letters/", views.letter_list, name="list"),
    path("guarantee-letters/new/bond/<int:pk>/", views.register_on_bond, name="register_bond"),
    path("guarantee-letters/new/contract/<int:pk>/", views.register_on_contract, name="register_contract"),
    path("guarantee-letters/<int:pk>/", views.letter_detail, name="detail"),
    path("guarantee-letters/<int:pk>/extend/", views.letter_extend, name="extend"),
    path("guarantee-letters/<int:pk>/release/", views.letter_release, name="release"),
]
