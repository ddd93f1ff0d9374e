"""Links to other records only where the viewer may open them (core.links)."""

from django import template

from opsmon.core import links

register = template.Library()


@register.simple_tag(takes_context=True)
def record_url(context, record) -> str:
    """`{% record_url bid as url %}`: the record's page when the viewer may open it, else ""."""
    request = context.get("request")
    return links.url_for(request.user, record) if request is not None else ""
