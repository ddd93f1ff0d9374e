from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/assign-lead/", views.assign_lead, name="assign_lead"),
    path("<int:pk>/feasibility/", views.feasibility_save, name="feasibility_save"),
    path("<int:pk>/feasibility/submit/", views.feasibility_submit, name="feasibility_submit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/send-back/", views.send_back, name="send_back"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/route/", views.route, name="route"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/retender/", views.retender, name="retender"),
    path("<int:pk>/close/", views.close, name="close"),
]
