from django.urls import path

from . import views

app_name = "codes"
urlpatterns = [
    path("", views.table_list, name="table_list"),
    path("<slug:table>/", views.table_detail, name="table_detail"),
    path("<slug:table>/new/", views.item_edit, name="item_create"),
    path("<slug:table>/<str:code>/", views.item_edit, name="item_edit"),
]
