"""The contract pages under /contracts/ (namespace `contracts`); the review routes are approvals' pages."""

from django.urls import path

from . import views, views_actions, views_versions

app_name = "contracts"
urlpatterns = [
    path("contracts/", views.contract_list, name="list"),
    path("contracts/export.xlsx", views.contract_export, name="export"),
    path("contracts/new/", views.contract_create, name="create"),
    path("contracts/<int:pk>/", views.contract_detail, name="detail"),
    path("contracts/<int:pk>/edit/", views_actions.contract_edit, name="edit"),
    path("contracts/<int:pk>/attachments/", views_actions.attachment_upload, name="attachment_upload"),
    path("contracts/attachments/<int:pk>/download/", views.attachment_download, name="attachment_download"),
    path("contracts/attachments/<int:pk>/preview/", views.attachment_preview, name="attachment_preview"),
    path("contracts/<int:pk>/submit/", views_actions.contract_submit, name="submit"),
    path("contracts/<int:pk>/steps/<int:step_id>/approve/", views_actions.step_decide, {"decision": "approve"},
         name="approve"),
    path("contracts/<int:pk>/steps/<int:step_id>/reject/", views_actions.step_decide, {"decision": "reject"},
         name="reject"),
    path("contracts/<int:pk>/sign/", views_actions.contract_sign, name="sign"),
    path("contracts/<int:pk>/archive/", views_actions.contract_archive, name="archive"),
    path("contracts/<int:pk>/terminate/", views_actions.contract_terminate, name="terminate"),
    path("contracts/<int:pk>/amendments/", views_actions.amendment_propose, name="amend"),
    path("contracts/<int:pk>/versions/", views_versions.version_compare, name="versions"),
    path("contracts/<int:pk>/review-sheet.docx", views.review_sheet, name="review_sheet"),
]
