"""Approval actions, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register

register("review.waiting", _("A review step waits for you"))
