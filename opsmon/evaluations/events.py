"""Evaluation actions, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register

register("supplierevaluation.saved", _("Supplier evaluated"))
register("purchaseorder.evaluated", _("Supplier evaluated"))
register("supplierevaluation.two_d", _("Supplier graded D twice in a row"))
