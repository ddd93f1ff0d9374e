from django.urls import path

from .views import auth, home, jobs, pick

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("pick/customers/", pick.customers, name="pick_customers"),  # search pickers (core/widgets.py)
    path("pick/opportunities/", pick.opportunities, name="pick_opportunities"),
    path("pick/users/", pick.users, name="pick_users"),
    path("jobs/<int:pk>/", jobs.job, name="job"),  # core.jobs: a large export's or an import's progress
    path("jobs/<int:pk>/download", jobs.job_download, name="job_download"),
]
