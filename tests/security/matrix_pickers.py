"""Access-matrix rows of issue 20 item 8: the search pickers' endpoints (opsmon/web/views/pick.py).

Each answers JSON `[{value, text}]` to any signed-in user (anonymous: to the login page). The opportunity search
"SJ" matches every opportunity number; the row checks that no match lies outside the actor's scope (the same
check as the bid register's old lookup); the customer search reads company-wide master data; the user search
answers active users only."""

import json

from opsmon.accounts.models import User
from opsmon.opportunities.selectors import visible_opportunities

from .access_matrix import nothing


def _items(response) -> list[dict]:
    return json.loads(response.content.decode())


def _only_visible(row, response) -> str:
    user = User.objects.get(username=row.actor)
    shown = {item["value"] for item in _items(response)}
    leaked = shown - set(visible_opportunities(user).values_list("pk", flat=True))
    return f"offers opportunities he cannot see: {sorted(leaked)}" if leaked else ""


def _only_active(row, response) -> str:
    shown = {item["value"] for item in _items(response)}
    inactive = set(User.objects.filter(pk__in=shown, is_active=False).values_list("username", flat=True))
    return f"offers inactive users: {sorted(inactive)}" if inactive else ""


WEB = {
    "pick_opportunities": nothing("signed_in", query={"q": "SJ"}, check=_only_visible,
                                  note="issue 20: searches only what the user sees"),
    "pick_customers": nothing("signed_in", query={"q": "公司"}, note="issue 20: customers are master data"),
    "pick_users": nothing("signed_in", query={"q": ""}, check=_only_active, note="issue 20: active users only"),
}
