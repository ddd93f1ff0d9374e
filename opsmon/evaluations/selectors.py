"""Evaluations are seen with their order (purchasing.selectors.visible_orders; else 404)."""

from opsmon.accounts.visibility import is_active_user
from opsmon.purchasing import selectors as order_selectors

from .models import SupplierEvaluation


def visible_evaluations(actor):
    if not is_active_user(actor):
        return SupplierEvaluation.objects.none()
    return SupplierEvaluation.objects.filter(order__in=order_selectors.visible_orders(actor).values("pk"))


def evaluation_of(order) -> SupplierEvaluation | None:
    return SupplierEvaluation.objects.filter(order=order).select_related("created_by", "supplier").first()


def previous_of(evaluation: SupplierEvaluation) -> SupplierEvaluation | None:
    """The supplier's evaluation saved before this one (the latest of the others)."""
    return (SupplierEvaluation.objects.filter(supplier=evaluation.supplier_id).exclude(pk=evaluation.pk)
            .order_by("-updated_at", "-id").first())
