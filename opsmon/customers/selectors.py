"""Reads of customers: company-wide master data, readable by every signed-in user."""

from django.db.models import Q

from opsmon.core.errors import NotFound

from .models import Customer
from .names import name_key


def customer_list(*, actor, q: str = "", customer_type: str = "", industry: str = "", region: str = ""):
    customers = Customer.objects.select_related("owner").order_by("name", "id")
    if q:
        customers = customers.filter(Q(name__icontains=q) | Q(name_key__contains=name_key(q))
                                     | Q(credit_code__iexact=q.strip()))
    for field, value in (("customer_type", customer_type), ("industry", industry), ("region", region)):
        if value:
            customers = customers.filter(**{field: value})
    return customers


def customer_get(*, actor, pk) -> Customer:
    try:
        return Customer.objects.select_related("owner", "department").prefetch_related("contacts").get(pk=pk)
    except (Customer.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
