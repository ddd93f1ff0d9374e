"""Access-matrix rows of issue 21 (hardening): the bid register form's opportunity search.

`bids:register_lookup` answers <option>s of the open opportunities the signed-in user can see that match `q`; the
row searches "SJ" (every opportunity number) and checks that no option names one outside the actor's scope.

Two rows of access_matrix.py change meaning with issue 21 and are the lead's to edit there (a part may not repeat
a row): D2 (the bid assistant registers only on an opportunity he can see: `assistant1 none A` bid_reg 404) and D5
(marking someone else's notification read answers 404: `POST /api/v1/notifications/{notification_id}/read` is
`own()` without the override)."""

import re

from opsmon.accounts.models import User
from opsmon.opportunities.selectors import visible_opportunities

from .access_matrix import nothing

_NUMBER = re.compile(r"SJ-\d{4}-\d{6}")


def _only_visible(row, response) -> str:
    user = User.objects.get(username=row.actor)
    shown = set(_NUMBER.findall(response.content.decode()))
    leaked = shown - set(visible_opportunities(user).values_list("number", flat=True))
    return f"offers opportunities he cannot see: {sorted(leaked)}" if leaked else ""


WEB = {
    "bids:register_lookup": nothing("signed_in", query={"q": "SJ"}, check=_only_visible,
                                    note="issue 21: searches only what the user sees"),
}
