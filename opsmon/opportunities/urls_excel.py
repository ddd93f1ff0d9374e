from django.urls import path

from . import views_excel

urlpatterns = [
    path("export.xlsx", views_excel.export, name="export"),
    path("import-template.xlsx", views_excel.import_template, name="import_template"),
    path("import/", views_excel.import_page, name="import"),
    path("import/<int:pk>/", views_excel.import_job, name="import_job"),
]
