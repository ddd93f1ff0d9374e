"""The receivables pages (namespace `receivables`): the list, and the money trail's actions on a contract."""

from django.urls import path

from . import views

app_name = "receivables"
urlpatterns = [
    path("receivables/", views.receivable_list, name="list"),
    path("contracts/<int:pk>/invoices/", views.invoice_record, name="invoice_record"),
    path("contracts/<int:pk>/collections/", views.collection_record, name="collection_record"),
]
