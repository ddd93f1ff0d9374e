"""The subject kinds the engine reviews. A higher module registers each of its kinds in its AppConfig.ready()
(contracts registers "contract" and "amendment"), so approvals never imports the modules that use it:

    kinds.register(Kind(name="purchase_request", label=_("Purchase request"), model=PurchaseRequest,
                        owner=lambda r: r.requester, department=lambda r: r.department, amount=lambda r: r.amount,
                        url=lambda r: f"/procurement/{r.pk}/", on_approved=..., on_rejected=...))

The callbacks read the subject; `on_approved` / `on_rejected` / `on_returned(actor=, subject=, review=, comment=,
changes=)` move it on when the last step approves or a step rejects (returns, for kinds with `allows_return`),
write its timeline row and tell its people, and answer the record (what `services.decide` answers).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model
from django.utils.translation import gettext_lazy as _


def _none(subject):
    return None


def _blank(subject):
    return ""


def _itself(subject):
    return subject


@dataclass(frozen=True)
class Kind:
    name: str                                  # "contract": stored on routes and rounds
    label: object                              # lazy text, shown on the route admin
    model: type[Model]                         # the subject's model
    owner: Callable                            # subject → the user whose record it is (never decides)
    department: Callable                       # subject → his Department (owner_head steps, route choice)
    amount: Callable                           # subject → Decimal (route choice)
    url: Callable                              # subject → its web page
    on_approved: Callable                      # the last step approved (see above)
    on_rejected: Callable                      # a step rejected: back to its owner
    type_code: Callable = _blank               # subject → code of `type_table` (route choice)
    proposer: Callable = _none                 # subject → the user who proposed it (never decides either)
    record: Callable = _itself                 # subject → the record its rounds are filed under (timeline)
    title: Callable = str                      # subject → "number title" for the inbox and notifications
    routes: str = ""                           # another kind whose routes this one uses ("" = its own)
    type_table: str = ""                       # code table of type codes, for the route admin
    # Optional wording (DEFAULT_TEXTS' keys) and names: "own_code" (the 403 code for the owner), "type_field"
    # (the field a missing route or decider is reported on).
    texts: dict = field(default_factory=dict)
    inbox_label: Callable | None = None        # (subject, step kind label) → the inbox line; default "Decide the …"
    # A step may be *returned* (ends the round, back to the owner to change and resubmit: a new round) only on kinds
    # that opt in; `on_returned` takes the same arguments as `on_rejected`. Others refuse "return" with 409.
    allows_return: bool = False
    on_returned: Callable | None = None
    category: Callable = _blank                # subject → a category code (route choice; "" = none)
    category_table: str = ""                   # code table of category codes, for the route admin

    @property
    def route_kind(self) -> str:
        return self.routes or self.name


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind (once; registering the same name again replaces it, for tests and reloads)."""
    _kinds[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    try:
        return _kinds[name]
    except KeyError:
        raise RuntimeError(f"approvals kind {name!r} is not registered: is its app installed?") from None


def all_kinds() -> list[Kind]:
    return list(_kinds.values())


def routed_kinds() -> list[Kind]:
    """The kinds that own routes (the route admin's choices)."""
    return [k for k in _kinds.values() if not k.routes]


def kind_choices() -> list[tuple[str, object]]:
    return [(k.name, k.label) for k in routed_kinds()]


DEFAULT_TEXTS = {
    "own": _("Nobody decides a review step of a record he owns."),
    "proposed": _("Nobody decides a review step of a change he proposed."),
    "waiting": _("A review is waiting for you: %(title)s"),
    "decide": _("Decide the %(step)s"),
    "no_route": _("No review route covers this type and amount; ask an administrator."),
    "no_return": _("A step of this kind of record cannot be returned; approve or reject it."),
}


def text(kind: Kind, key: str):
    return kind.texts.get(key) or DEFAULT_TEXTS[key]


def type_field(kind: Kind) -> str:
    return kind.texts.get("type_field", "type_code")
