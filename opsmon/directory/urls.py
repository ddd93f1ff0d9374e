from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("admin/directory/", views.mapping_list, name="mapping_list"),
    path("admin/directory/departments/new/", views.department_mapping_edit, name="department_mapping_create"),
    path("admin/directory/departments/<int:pk>/", views.department_mapping_edit, name="department_mapping_edit"),
    path("admin/directory/departments/<int:pk>/delete/", views.department_mapping_delete,
         name="department_mapping_delete"),
    path("admin/directory/roles/new/", views.role_mapping_edit, name="role_mapping_create"),
    path("admin/directory/roles/<int:pk>/", views.role_mapping_edit, name="role_mapping_edit"),
    path("admin/directory/roles/<int:pk>/delete/", views.role_mapping_delete, name="role_mapping_delete"),
    path("directory/departed/", views.departed, name="departed"),
]
