"""Text written once and read in each reader's language (issue 20, item 11): a notification is stored when the
change happens, in the actor's language, but read later by someone who may use the other one. A `Phrase` keeps
the msgid and its parameters, so the text can be rendered again in the reader's language.

    text = phrase(gettext_noop("%(bid)s was abandoned: bid again on %(project)s, or close it."),
                  bid=bid.number, project=bid.project.number)
    str(text)          # rendered now, in the active language (it is a str: every caller keeps working)
    text.stored()      # what to keep: "\x1ei18n:" + JSON of msgid and params (old plain rows stay plain text)
    render(stored)     # in the reader's language; plain text is answered as it is

A parameter may itself be a Phrase (rendered in the same language) or a registered action key wrapped with
`label_of(key)` (core.events.label, so no raw key is ever stored for a reader)."""

import json

from django.utils.translation import gettext

from .events import label

MARK = "\x1ei18n:"


class Phrase(str):
    """A translated text that remembers its msgid and parameters."""

    msgid: str
    params: dict

    def __new__(cls, msgid: str, params: dict):
        rendered = _render(msgid, params)
        obj = super().__new__(cls, rendered)
        obj.msgid, obj.params = msgid, params
        return obj

    def stored(self) -> str:
        return MARK + json.dumps({"m": self.msgid, "p": {k: _plain(v) for k, v in self.params.items()}},
                                 ensure_ascii=False, separators=(",", ":"))


class _Label:
    def __init__(self, key: str):
        self.key = key


def label_of(key: str) -> _Label:
    """A parameter shown as the label of a registered action or event, in the reader's language."""
    return _Label(key)


def phrase(msgid: str, **params) -> Phrase:
    """The msgid (mark it with gettext_noop so makemessages finds it) with its parameters."""
    return Phrase(msgid, params)


def lazy_phrase(text, **params) -> Phrase | str:
    """A phrase of a gettext_lazy text declared elsewhere (a review kind's texts): its msgid is the proxy's
    argument. Anything else is formatted now, as before."""
    args = getattr(text, "_args", None)
    if args and len(args) == 1 and isinstance(args[0], str):
        return Phrase(args[0], params)
    return str(text) % params if params else str(text)


def _plain(value):
    if isinstance(value, Phrase):
        return {"m": value.msgid, "p": {k: _plain(v) for k, v in value.params.items()}}
    if isinstance(value, _Label):
        return {"label": value.key}
    return value if isinstance(value, int | float | bool) or value is None else str(value)


def _value(value):
    if isinstance(value, Phrase):
        return _render(value.msgid, value.params)
    if isinstance(value, _Label):
        return label(value.key)
    if isinstance(value, dict) and "label" in value:
        return label(str(value["label"]))
    if isinstance(value, dict) and "m" in value:
        return _render(str(value["m"]), value.get("p") or {})
    return value


def _render(msgid: str, params: dict) -> str:
    text = gettext(msgid)
    if not params:
        return text
    try:
        return text % {k: _value(v) for k, v in params.items()}
    except (KeyError, TypeError, ValueError):  # a catalogue entry that lost a parameter: the English text
        return msgid % {k: _value(v) for k, v in params.items()}


def render(stored: str) -> str:
    """A stored text in the active language: a stored Phrase rendered again, plain text as it is."""
    if not isinstance(stored, str) or not stored.startswith(MARK):
        return stored
    try:
        data = json.loads(stored[len(MARK):])
        return _render(str(data["m"]), data.get("p") or {})
    except (ValueError, KeyError, TypeError):
        return stored[len(MARK):]
