from django.urls import path

from . import views

app_name = "sourcing"
urlpatterns = [
    path("", views.sourcing_list, name="list"),
    path("new/", views.sourcing_new, name="new"),
    path("<int:pk>/", views.sourcing_detail, name="detail"),
    path("<int:pk>/open/", views.sourcing_open, name="open"),
    path("<int:pk>/evaluate/", views.sourcing_evaluate, name="evaluate"),
    path("<int:pk>/quotations/", views.quotation_add, name="quote"),
    path("<int:pk>/award/", views.award_save, name="award"),
    path("<int:pk>/submit-award/", views.award_submit, name="submit_award"),
    path("<int:pk>/decide/", views.award_decide, name="decide"),
    path("<int:pk>/fail/", views.sourcing_fail, name="fail"),
    path("<int:pk>/cancel/", views.sourcing_cancel, name="cancel"),
    path("<int:pk>/comparison.xlsx", views.comparison_xlsx, name="comparison_xlsx"),
]
