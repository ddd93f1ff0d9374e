"""The bid pages under /bids/ and the bond register under /bonds/ (one namespace: `bids`)."""

from django.urls import path

from . import views, views_intake

app_name = "bids"
urlpatterns = [
    path("bids/", views.bid_list, name="list"),
    path("bids/new/", views.bid_register, name="register"),
    path("bids/<int:pk>/", views.bid_detail, name="detail"),
    path("bids/<int:pk>/analysis/", views.tender_analysis, name="analysis"),
    path("bids/<int:pk>/intake/", views_intake.intake_start, name="intake"),
    path("bids/<int:pk>/intake/read/", views_intake.intake_read, name="intake_read"),
    path("bids/<int:pk>/intake/apply/", views_intake.intake_apply, name="intake_apply"),
    path("bids/<int:pk>/start-preparation/", views.bid_action, {"action": "start_preparation"},
         name="start_preparation"),
    path("bids/<int:pk>/submit/", views.bid_action, {"action": "submit"}, name="submit"),
    path("bids/<int:pk>/mark-won/", views.bid_action, {"action": "mark_won"}, name="mark_won"),
    path("bids/<int:pk>/mark-lost/", views.bid_action, {"action": "mark_lost"}, name="mark_lost"),
    path("bids/<int:pk>/close/", views.bid_action, {"action": "close"}, name="close"),
    path("bids/<int:pk>/abandon/", views.abandon, name="abandon"),
    path("bids/<int:pk>/create-contract/", views.create_contract, name="create_contract"),
    path("bids/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("bids/documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("bids/documents/<int:pk>/preview/", views.document_preview, name="document_preview"),
    path("bids/<int:pk>/opening/", views.opening, name="opening"),
    path("bids/<int:pk>/summary/", views.summary, name="summary"),
    path("bids/<int:pk>/summary.docx", views.summary_docx, name="summary_docx"),
    path("bids/<int:pk>/bonds/", views.bond_create, name="bond_create"),
    path("bonds/", views.bond_register, name="bond_register"),
    path("bonds/export.xlsx", views.bond_export, name="bond_export"),
    path("bonds/<int:pk>/pay/", views.bond_action, {"action": "pay"}, name="bond_pay"),
    path("bonds/<int:pk>/refund/", views.bond_action, {"action": "refund"}, name="bond_refund"),
    path("bonds/<int:pk>/forfeit/", views.bond_action, {"action": "forfeit"}, name="bond_forfeit"),
    path("bonds/<int:pk>/convert/", views.bond_action, {"action": "convert_to_performance"},
         name="bond_convert"),
]
