"""The channels a notice can take and the kinds of event a user chooses them for.

Kinds: the happenings' keys (core.events): "notice" is what modules tell a user with `core.events.notify` and no
kind of its own, "reminder" the daily reminders, "digest" the daily digest; every declared action and outbound
event of the registry may be chosen too (used as soon as a module publishes it with recipients)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from opsmon.core import events

INAPP, EMAIL, ROBOT = "inapp", "email", "robot"
CHANNELS = [(INAPP, _("In the app")), (EMAIL, _("E-mail")), (ROBOT, _("Group robot"))]
NOTICE, REMINDER, DIGEST = "notice", "reminder", "digest"
BUILT_IN = [(NOTICE, _("Work and messages for you")), (REMINDER, _("Reminders of deadlines")),
            (DIGEST, _("Daily digest"))]


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    group: str   # the module part of the key ("bid" of "bid.won"); "" for the built-in kinds


def kinds() -> list[Kind]:
    """Every kind a user may set channels for: the built-in ones, then the registry's, grouped by module."""
    out = [Kind(key, str(label), "") for key, label in BUILT_IN]
    seen = {k.key for k in out}
    registry = [(a.key, a.label) for a in events.actions()] + list(events.webhook_events())
    for key, label in sorted(registry, key=lambda item: item[0]):
        if key not in seen:
            seen.add(key)
            out.append(Kind(key, str(label), key.split(".")[0]))
    return out


def kind_keys() -> set[str]:
    return {k.key for k in kinds()}


def default_channels(kind: str) -> list[str]:
    """The site's choice for users who chose nothing: NOTIFY_DEFAULT_CHANNELS (in the app only, as before); the
    digest (sent only to users who pick its hour) in the app and by e-mail."""
    if kind == DIGEST:
        return [INAPP, EMAIL]
    return list(getattr(settings, "NOTIFY_DEFAULT_CHANNELS", [INAPP]))


def email_enabled() -> bool:
    """E-mail goes out only when the server is given an SMTP host (EMAIL_HOST)."""
    return bool(getattr(settings, "EMAIL_HOST", ""))


def chosen(user_settings, kind: str) -> list[str]:
    """The user's channels for `kind` (his own choice, else the default)."""
    if user_settings is not None and kind in (user_settings.channels or {}):
        return list(user_settings.channels[kind])
    return default_channels(kind)


def language_of(user_settings) -> str:
    return (user_settings.language if user_settings is not None and user_settings.language
            else settings.LANGUAGE_CODE)
