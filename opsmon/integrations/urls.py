from django.urls import path

from . import views

app_name = "integrations"
urlpatterns = [
    path("", views.endpoint_list, name="endpoint_list"),
    path("new/", views.endpoint_edit, name="endpoint_create"),
    path("<int:pk>/", views.endpoint_edit, name="endpoint_edit"),
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("accounts/<int:pk>/tokens/", views.account_token_issue, name="account_token_issue"),
    path("accounts/<int:pk>/tokens/<int:token_id>/revoke/", views.account_token_revoke, name="account_token_revoke"),
]
