"""Access-matrix rows of the outside systems (issue 22 part 2): the integration accounts' admin pages (admin only)
and the inbound status API.

`POST /integrations/project-status` is an outside system's: every actor of the matrix is a person, so every one of
them is refused (403, with a body that would otherwise be accepted), the anonymous caller is asked to log in. What an
integration account may do (only the projects handed to it, 404 for any other) is asserted through real HTTP by
opsmon/integrations/tests/test_api.py and test_inbound.py.

The account pages name an account and a token: world.py has none, so `build` is wrapped here to add an integration
account with one token (`integration_account_id`, `integration_token_id`), as matrix_receivables.py does for its
milestones; the lead may move those lines into world.py. The wrapper marks itself with its own attribute (not
`__wrapped__`, which matrix_receivables.py looks for)."""

from django.contrib.auth.models import Group
from django.utils import timezone

from opsmon.accounts.roles import Role
from opsmon.integrations import services

from . import world
from .access_matrix import DENIED, nothing, post


def _with_integration_account(build):
    def wrapped(org):
        built = build(org)
        Group.objects.get_or_create(name=Role.INTEGRATION)
        account = services.account_create(actor=org["admin"], username="mx-pms", display_name="矩阵项目监控")
        _key, token = services.account_token_issue(actor=org["admin"], account=account)
        built.common.update({"integration_account_id": account.pk, "integration_token_id": token.pk})
        return built
    wrapped.with_integration_account = True
    for name in ("__wrapped__",):  # keep the marker of an earlier wrapper visible to the later ones
        if hasattr(build, name):
            setattr(wrapped, name, getattr(build, name))
    return wrapped


if not getattr(world.build, "with_integration_account", False):
    world.build = _with_integration_account(world.build)

ACCOUNT = {"pk": "integration_account_id"}

API = {
    "POST /api/v1/integrations/project-status": nothing("admin", overrides={"admin": DENIED}, body=lambda i: {
        "project_number": "LX-2026-000001", "event": "halted", "at": timezone.now().isoformat(), "note": "矩阵",
        "idempotency_key": f"mx-{i['username']}"}, note="people never report delivery: 403 for every actor"),
}

WEB = {
    "integrations:account_list": nothing("admin"),
    "integrations:account_create": nothing("admin"),
    "integrations:account_detail": nothing("admin", args=ACCOUNT),
    "integrations:account_token_issue": post(nothing("admin", args=ACCOUNT)),
    "integrations:account_token_revoke": post(nothing("admin", args={**ACCOUNT, "token_id": "integration_token_id"})),
}
