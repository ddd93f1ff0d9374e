"""Template filter for timeline entries: the label of an action, from the one registry (core.events)."""

from django import template

from opsmon.core.events import label

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """The translated label of a timeline action; never the raw key (an undeclared one reads "Record changed")."""
    return label(action)

