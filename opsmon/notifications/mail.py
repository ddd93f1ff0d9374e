"""E-mails of notifications: text and HTML, in the recipient's language, with a link back to the record."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from opsmon.core import events
from opsmon.core.phrases import render

SUBJECT_LIMIT = 200


def absolute(path: str) -> str:
    """A full link for a path inside OpsMon (SITE_URL in front), or the link as given."""
    if not path or path.startswith(("http://", "https://")):
        return path
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{path}" if base else path


def title_of(kind: str, text: str) -> str:
    """The heading of a notice: the kind's label when it has one of its own, else the start of the text."""
    if events.is_action(kind) or kind in dict(events.webhook_events()):
        return events.label(kind)
    return text.splitlines()[0][:80] if text else "OpsMon"


def message(*, user, kind: str, text: str, url: str, language: str) -> dict:
    """{"to", "subject", "text", "html"} of one notice for one user, rendered in his language."""
    with translation.override(language):
        text = render(text)  # a stored phrase (core.phrases) in the recipient's language
        context = {"user": user, "name": user.display_name or user.username, "title": title_of(kind, text),
                   "text": text, "link": absolute(url), "settings_link": absolute("/notifications/settings/")}
        subject = f"[OpsMon] {context['title']}"[:SUBJECT_LIMIT]
        return {"to": user.email, "subject": subject, "language": language,
                "text": render_to_string("notifications/mail/message.txt", context),
                "html": render_to_string("notifications/mail/message.html", context)}


def digest(*, user, sections: list[tuple[str, list[dict]]], language: str, day) -> dict:
    """The daily digest e-mail: sections of (heading, [{"title", "when", "link"}])."""
    with translation.override(language):
        context = {"user": user, "name": user.display_name or user.username, "sections": sections, "day": day,
                   "inbox_link": absolute("/inbox/"), "settings_link": absolute("/notifications/settings/")}
        subject = _("[OpsMon] Your day, %(day)s") % {"day": day.isoformat()}
        return {"to": user.email, "subject": subject, "language": language,
                "text": render_to_string("notifications/mail/digest.txt", context),
                "html": render_to_string("notifications/mail/digest.html", context)}
