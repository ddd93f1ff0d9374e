from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RELEASED = "released", _("Released")


# Bond methods (code table bond_method) that are paid by a guarantee letter rather than money.
LETTER_METHODS = frozenset({"bank_guarantee", "insurance_guarantee", "guarantor_guarantee"})
# A letter this close to its end (or past it) while still needed is flagged to the bid assistant.
FLAG_DAYS = 30
