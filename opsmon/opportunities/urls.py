from django.urls import include, path

from . import views

app_name = "opportunities"
urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("board/", views.board, name="board"),
    path("due/", views.follow_ups_due, name="due"),
    path("queue/", views.conversion_queue, name="queue"),
    path("new/", views.opportunity_create, name="create"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", views.opportunity_edit, name="edit"),
    path("<int:pk>/move/", views.board_move, name="move"),
    path("<int:pk>/follow-ups/", views.opportunity_action, {"action": "add_follow_up"}, name="follow_up"),
    path("<int:pk>/request-conversion/", views.opportunity_action, {"action": "request_conversion"},
         name="request_conversion"),
    path("<int:pk>/convert/", views.opportunity_action, {"action": "convert"}, name="convert"),
    path("<int:pk>/keep-tracking/", views.opportunity_action, {"action": "keep_tracking"}, name="keep_tracking"),
    path("<int:pk>/close/", views.opportunity_action, {"action": "close"}, name="close"),
    path("<int:pk>/reopen/", views.opportunity_action, {"action": "reopen"}, name="reopen"),
    path("", include("opsmon.opportunities.urls_excel")),
]
