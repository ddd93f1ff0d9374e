"""/supplier-invoices: supplier invoices and the three-way match."""

from ninja import Router

router = Router(tags=["supplier_invoices"])
