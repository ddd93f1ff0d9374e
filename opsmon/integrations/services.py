"""Admin commands on webhook endpoints and on integration accounts (outside systems that talk back) and their
tokens."""

import hashlib
import re
import secrets
from datetime import timedelta
from urllib.parse import urlparse

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.models import ApiToken, User
from opsmon.accounts.roles import Role
from opsmon.accounts.services import end_sessions, require_admin, token_issue
from opsmon.core import events as registry
from opsmon.core import timeline
from opsmon.core.errors import Conflict, Invalid, NotFound
from opsmon.core.workflow import clean_texts

from .middleware import TOKEN_PREFIX
from .models import IntegrationAccount, WebhookEndpoint

# An integration token lives ten years: an outside system has no one to sign in again; the admin revokes it.
TOKEN_DAYS = 3650
USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{1,39}$")


def _clean(data: dict, *, partial: bool) -> dict:
    errors, clean = {}, {}
    if not partial or "name" in data:
        name = (data.get("name") or "").strip()
        if not name or len(name) > 100:
            errors["name"] = _("1 to 100 characters.")
        clean["name"] = name
    if not partial or "url" in data:
        url = (data.get("url") or "").strip()
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 500:
            errors["url"] = _("An http:// or https:// address.")
        clean["url"] = url
    if not partial or "secret" in data:
        secret = data.get("secret") or ""
        if len(secret) < 16 or len(secret) > 200:
            errors["secret"] = _("16 to 200 characters.")
        clean["secret"] = secret
    if not partial or "events" in data:
        events = list(dict.fromkeys(data.get("events") or []))
        names = {name for name, _label in registry.webhook_events()}
        if not events or set(events) - names:
            errors["events"] = _("Choose one or more of: %(events)s") % {"events": ", ".join(sorted(names))}
        clean["events"] = events
    if "active" in data and data["active"] is not None:
        clean["active"] = bool(data["active"])
    if errors:
        raise Invalid(fields=errors)
    return clean


@transaction.atomic
def endpoint_create(*, actor, **data) -> WebhookEndpoint:
    require_admin(actor)
    endpoint = WebhookEndpoint.objects.create(**_clean(data, partial=False))
    timeline.record(endpoint, actor=actor, action="webhook.created")
    return endpoint


@transaction.atomic
def endpoint_update(*, actor, endpoint: WebhookEndpoint, **data) -> WebhookEndpoint:
    require_admin(actor)
    clean = _clean(data, partial=True)
    changes = timeline.diff({k: getattr(endpoint, k) for k in clean if k != "secret"},
                            {k: v for k, v in clean.items() if k != "secret"})
    for field, value in clean.items():
        setattr(endpoint, field, value)
    endpoint.save()
    timeline.record(endpoint, actor=actor, action="webhook.updated", changes=changes)
    return endpoint


# --- integration accounts --------------------------------------------------------------------------------------------

@transaction.atomic
def account_create(*, actor, username: str, display_name: str, receives_handoffs: bool = True) -> IntegrationAccount:
    """A user with the `integration` role only: no department (it sees no record through visibility), no password
    (it cannot sign in, on the web or through POST /auth/token); it works with the tokens an admin issues."""
    require_admin(actor)
    errors: dict = {}
    texts = clean_texts({"username": username, "display_name": display_name},
                        {"username": 40, "display_name": 100}, errors)
    username, display_name = texts["username"].lower(), texts["display_name"]
    if "username" not in errors and not USERNAME.match(username):
        errors["username"] = _("2 to 40 lower-case letters, digits, '.', '_' or '-', starting with a letter.")
    if not display_name and "display_name" not in errors:
        errors["display_name"] = _("This field is required.")
    if errors:
        raise Invalid(fields=errors)
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("This username is taken."), code="duplicate", fields={"username": _("already taken")})
    user = User(username=username, display_name=display_name)
    user.set_unusable_password()
    user.save()
    user.groups.set(Group.objects.filter(name=Role.INTEGRATION))
    account = IntegrationAccount.objects.create(user=user, receives_handoffs=bool(receives_handoffs))
    timeline.record(account, actor=actor, action="integration.account_created",
                    changes={"username": [None, username], "display_name": [None, display_name]})
    return account


@transaction.atomic
def account_update(*, actor, account: IntegrationAccount, display_name: str | None = None,
                   active: bool | None = None, receives_handoffs: bool | None = None) -> IntegrationAccount:
    """Rename, (de)activate (deactivating revokes every token at once) or stop sending it hand-offs."""
    require_admin(actor)
    user = account.user
    before = {"display_name": user.display_name, "active": user.is_active,
              "receives_handoffs": account.receives_handoffs}
    if display_name is not None:
        errors: dict = {}
        name = clean_texts({"display_name": display_name}, {"display_name": 100}, errors)["display_name"]
        if not name and not errors:
            errors["display_name"] = _("This field is required.")
        if errors:
            raise Invalid(fields=errors)
        user.display_name = name
    if active is not None:
        user.is_active = bool(active)
    if receives_handoffs is not None:
        account.receives_handoffs = bool(receives_handoffs)
    user.save(update_fields=["display_name", "is_active"])
    account.save(update_fields=["receives_handoffs"])
    if not user.is_active:
        end_sessions(user)
    after = {"display_name": user.display_name, "active": user.is_active,
             "receives_handoffs": account.receives_handoffs}
    timeline.record(account, actor=actor, action="integration.account_updated", changes=timeline.diff(before, after))
    return account


@transaction.atomic
def account_token_issue(*, actor, account: IntegrationAccount) -> tuple[str, ApiToken]:
    """A long-lived bearer token for the account, an accounts ApiToken (only its SHA-256 is kept; token_user
    authenticates it): the clear key is answered once, to be shown once. It starts with TOKEN_PREFIX, which
    confines it to the outside system's routes (middleware.IntegrationScopeMiddleware)."""
    require_admin(actor)
    if not account.user.is_active:
        raise Conflict(_("The account is inactive: activate it first."), code="inactive",
                       fields={"active": _("inactive")})
    _plain, token = token_issue(user=account.user)  # the accounts' token row, then our key: marked, long-lived
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token.key_hash = hashlib.sha256(key.encode()).hexdigest()  # as accounts.services keeps every token
    token.prefix = key[:8]
    token.expires_at = timezone.now() + timedelta(days=TOKEN_DAYS)
    token.save(update_fields=["key_hash", "prefix", "expires_at"])
    timeline.record(account, actor=actor, action="integration.token_issued", comment=f"{token.prefix}…")
    return key, token


@transaction.atomic
def account_token_revoke(*, actor, account: IntegrationAccount, token_id: int) -> ApiToken:
    require_admin(actor)
    token = ApiToken.objects.filter(pk=token_id, user=account.user).first()
    if token is None:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        timeline.record(account, actor=actor, action="integration.token_revoked", comment=f"{token.prefix}…")
    return token
