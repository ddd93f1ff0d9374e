"""Reads of customers: company-wide master data, readable by every signed-in user."""

from dataclasses import dataclass

from django.db.models import Q

from opsmon.core.errors import NotFound

from .models import Customer
from .names import name_key


@dataclass(frozen=True)
class CustomerFilters:
    """The list's filters, parsed once (the web list's form, the API's query) and applied here alone."""

    q: str = ""
    customer_type: str = ""
    industry: str = ""
    region: str = ""


def customer_list(*, actor, filters: CustomerFilters = CustomerFilters()):
    customers = Customer.objects.select_related("owner").order_by("name", "id")
    q, customer_type, industry, region = filters.q, filters.customer_type, filters.industry, filters.region
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
