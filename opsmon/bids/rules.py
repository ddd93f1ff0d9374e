"""The only place that answers "may this viewer do this to this bid (or bond) now?" (core.rules).

Each `can_<action>` answers the refusal the service raises (403 with its message, 409 with its code) or None, in
the order the services always checked: who (role) first, then the state of the record. Visibility is the
selectors' (a bid outside the viewer's scope is a 404 before any rule runs). Services start with
`refuse(rules.can_x(...))`; the pages draw their buttons and the API answers `allowed_actions` from `RULES`.

Who does what: the bid's team (its owner, the opportunity's owner and members), the department head and the bid
assistant work on it; its owner or his department head record the results; the bid assistant (and the admin)
keep the bonds.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.visibility import is_head_of
from opsmon.core.errors import Conflict, Invalid, PermissionDenied
from opsmon.core.rules import Refusal, allowed, first, in_state
from opsmon.opportunities.rules import may_work_on

from .choices import FINISHED, BidStatus, BondKind, BondStatus, DocumentKind
from .models import Bid, BidSummary, Bond, OpeningEntry

S = BidStatus
TRANSITIONS = {
    "start_preparation": ({S.REGISTERED}, S.PREPARING),
    "submit": ({S.PREPARING}, S.SUBMITTED),
    "record_opening": ({S.SUBMITTED, S.OPENED}, S.OPENED),
    "mark_won": ({S.OPENED}, S.WON),
    "mark_lost": ({S.OPENED}, S.LOST),
    "abandon": ({S.REGISTERED, S.PREPARING, S.SUBMITTED}, S.ABANDONED),
}
ANALYSIS_STATES = frozenset({S.REGISTERED, S.PREPARING, S.SUBMITTED})

B = BondStatus
BOND_TRANSITIONS = {
    "pay": ({B.PLANNED}, B.PAID),
    "refund": ({B.PAID}, B.REFUNDED),
    "forfeit": ({B.PAID}, B.FORFEITED),
    "convert_to_performance": ({B.PAID}, B.CONVERTED),
}

REGISTER_ROLES = ("bid_assistant", "sales_rep", "dept_head")
BOND_KEEPERS = ("bid_assistant", "admin")


# --- who ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Relation:
    """What a viewer is to one bid; worked out once per page or answer (`relation`), not once per rule."""

    team: bool       # the bid's owner, or the owner or a member of its opportunity
    head: bool       # a department head over the bid's department
    owner: bool      # the bid's owner
    assistant: bool  # the bid assistant


def relation(viewer, bid: Bid) -> Relation:
    owner = viewer.pk == bid.owner_id
    team = owner or bid.opportunity.owner_id == viewer.pk or bid.opportunity.members.filter(pk=viewer.pk).exists()
    return Relation(team=team, head=is_head_of(viewer, bid.department), owner=owner,
                    assistant=viewer.has_role("bid_assistant"))


def _relation(viewer, bid: Bid, known: Relation | None) -> Relation:
    return known if known is not None else relation(viewer, bid)


def works_on(viewer, bid: Bid, known: Relation | None = None) -> bool:
    """Tender analysis, documents, preparation, submission, abandoning: team, head or bid assistant."""
    rel = _relation(viewer, bid, known)
    return rel.team or rel.head or rel.assistant


def records_results(viewer, bid: Bid, known: Relation | None = None) -> bool:
    """Opening record, won/lost, summary, closing, the contract: the bid's owner or his department head."""
    rel = _relation(viewer, bid, known)
    return rel.owner or rel.head


def keeps_bonds(viewer) -> bool:
    return viewer.has_role(*BOND_KEEPERS)


def may_register(viewer) -> bool:
    """Whether the "register a bid" page is offered at all (the service decides per opportunity)."""
    return viewer.has_role(*REGISTER_ROLES)


def _worker(viewer, bid, known=None) -> Refusal:
    if works_on(viewer, bid, known):
        return None
    return PermissionDenied(_("Only the bid's team, the department head or the bid assistant may do this."))


def _result_keeper(viewer, bid, known=None) -> Refusal:
    if records_results(viewer, bid, known):
        return None
    return PermissionDenied(_("Only the bid's owner or his department head records results."))


def _bond_keeper(viewer) -> Refusal:
    return None if keeps_bonds(viewer) else PermissionDenied(_("Only the bid assistant keeps bonds."))


def _closed(bid) -> Refusal:
    if bid.closed:
        return Conflict(_("The bid is closed; nothing can change any more."), code="bid_closed")
    return None


def _open(bid) -> Refusal:
    """Voided (lost/abandoned) and closed bids refuse every change."""
    if bid.closed or not bid.voided:
        return _closed(bid)
    return Conflict(_("The bid is voided (lost or abandoned) and read-only."), code="bid_voided")


def _state(bid, action) -> Refusal:
    return in_state(bid, action, TRANSITIONS)


def _wrong_state(message) -> Conflict:
    return Conflict(message, code="wrong_state")


# --- registering (on an opportunity, before the bid exists) ----------------------------------------------

def can_register(viewer, opportunity) -> Refusal:
    """Register a bid directly (直接进入): the bid assistant, or the opportunity's team; not on a closed one."""
    if not (viewer.has_role("bid_assistant") or may_work_on(viewer, opportunity)):
        return PermissionDenied(_("Only the bid assistant or the opportunity's team registers bids."))
    if opportunity.status == "closed":
        return Conflict(_("The opportunity is closed."), code="wrong_state")
    return None


# --- the bid's actions -----------------------------------------------------------------------------------

def can_edit(viewer, bid: Bid, *, relation: Relation | None = None, **_context) -> Refusal:
    """Rename an open bid."""
    return first(_worker(viewer, bid, relation), _open(bid))


def can_save_analysis(viewer, bid: Bid, *, relation: Relation | None = None, **_context) -> Refusal:
    """The tender analysis: until the bid is opened."""
    refusal = first(_worker(viewer, bid, relation), _open(bid))
    if refusal is None and bid.status not in ANALYSIS_STATES:
        return _wrong_state(_("The tender analysis is fixed once the bid is opened."))
    return refusal


def can_intake(viewer, bid: Bid, **context) -> Refusal:
    """Reading a tender notice into the analysis (and applying it): the same rights and states as editing it."""
    return can_save_analysis(viewer, bid, **context)


def can_upload_document(viewer, bid: Bid, *, kind: str | None = None, relation: Relation | None = None,
                        **_context) -> Refusal:
    """The team uploads while the bid is open; a voided or closed bid takes only the result notice, from the bid
    assistant (`kind` None: any kind the page's form may offer)."""
    if bid.voided or bid.closed:
        rel = _relation(viewer, bid, relation)
        if rel.assistant and kind in (None, DocumentKind.RESULT):
            return None
        # Who may not work on the bid is refused as such (403), not for its state.
        return first(_worker(viewer, bid, rel), _open(bid), PermissionDenied())
    return _worker(viewer, bid, relation)


def can_start_preparation(viewer, bid: Bid, *, relation: Relation | None = None, **_context) -> Refusal:
    return first(_worker(viewer, bid, relation), _open(bid), _state(bid, "start_preparation"))


def can_submit(viewer, bid: Bid, *, relation: Relation | None = None, now: datetime | None = None,
               **_context) -> Refusal:
    """Hand the bid in: in preparation, with a submission deadline that has not passed (correct it in the
    analysis if it moved)."""
    refusal = first(_worker(viewer, bid, relation), _open(bid))
    if refusal is not None:
        return refusal
    if bid.status != S.PREPARING:
        return _wrong_state(_("Only a bid in preparation can be submitted."))
    if bid.submission_deadline is None:
        return Invalid(_("Record the submission deadline in the tender analysis first."),
                       fields={"submission_deadline": _("This field is required.")})
    if (now or timezone.now()) > bid.submission_deadline:
        return Conflict(_("The submission deadline has passed. If it was extended, correct it in the tender "
                          "analysis first."), code="deadline_passed")
    return None


def can_abandon(viewer, bid: Bid, *, relation: Relation | None = None, **_context) -> Refusal:
    return first(_worker(viewer, bid, relation), _open(bid), _state(bid, "abandon"))


def can_record_opening(viewer, bid: Bid, *, relation: Relation | None = None, **_context) -> Refusal:
    return first(_result_keeper(viewer, bid, relation), _open(bid), _state(bid, "record_opening"))


def our_entry(bid: Bid) -> OpeningEntry | None:
    """Our row of the opening record, if one is recorded."""
    return OpeningEntry.objects.filter(opening__bid=bid, is_us=True).select_related("opening").first()


def can_mark_won(viewer, bid: Bid, *, relation: Relation | None = None, **_context) -> Refusal:
    refusal = first(_result_keeper(viewer, bid, relation), _open(bid))
    if refusal is not None:
        return refusal
    ours = our_entry(bid)
    if ours is not None and ours.opening.winner != ours.bidder:
        return Conflict(_("The opening record names another winner."), code="inconsistent_result")
    return _state(bid, "mark_won")


def can_mark_lost(viewer, bid: Bid, *, relation: Relation | None = None, **_context) -> Refusal:
    refusal = first(_result_keeper(viewer, bid, relation), _open(bid))
    if refusal is not None:
        return refusal
    ours = our_entry(bid)
    if ours is not None and ours.opening.winner == ours.bidder:
        return Conflict(_("The opening record names us as the winner."), code="inconsistent_result")
    return _state(bid, "mark_lost")


def can_save_summary(viewer, bid: Bid, *, relation: Relation | None = None, **_context) -> Refusal:
    """The mandatory summary report: once the bid is won, lost or abandoned, until it is closed."""
    refusal = first(_result_keeper(viewer, bid, relation), _closed(bid))
    if refusal is None and bid.status not in FINISHED:
        return _wrong_state(_("The summary is written once the bid is won, lost or abandoned."))
    return refusal


def can_close(viewer, bid: Bid, *, relation: Relation | None = None, **_context) -> Refusal:
    """Close a finished bid, once its summary report is filed."""
    refusal = first(_result_keeper(viewer, bid, relation), _closed(bid))
    if refusal is not None:
        return refusal
    if bid.status not in FINISHED:
        return _wrong_state(_("Only a won, lost or abandoned bid can be closed."))
    if not BidSummary.objects.filter(bid=bid).exists():
        return Conflict(_("File the summary report before closing the bid."), code="summary_missing")
    return None


def can_create_contract(viewer, bid: Bid, *, relation: Relation | None = None, **_context) -> Refusal:
    """A won bid becomes one contract draft."""
    refusal = _result_keeper(viewer, bid, relation)
    if refusal is not None:
        return refusal
    if bid.status != S.WON:
        return _wrong_state(_("Only a won bid becomes a contract."))
    if bid.contracts.exists():
        return Conflict(_("This bid already has a contract."), code="duplicate")
    return None


def can_plan_bond(viewer, bid: Bid, **_context) -> Refusal:
    """Plan a bond for an open bid (a performance bond only for a won one: the service checks the kind)."""
    return first(_bond_keeper(viewer), _open(bid))


RULES = {
    "edit": can_edit,
    "save_analysis": can_save_analysis,
    "intake": can_intake,
    "upload_document": can_upload_document,
    "start_preparation": can_start_preparation,
    "submit": can_submit,
    "record_opening": can_record_opening,
    "mark_won": can_mark_won,
    "mark_lost": can_mark_lost,
    "create_contract": can_create_contract,
    "save_summary": can_save_summary,
    "close": can_close,
    "abandon": can_abandon,
    "plan_bond": can_plan_bond,
}


def allowed_actions(viewer, bid: Bid, **context) -> list[str]:
    """The actions `viewer` may fire on `bid` now, in RULES' order."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return []
    context.setdefault("relation", relation(viewer, bid))
    return allowed(RULES, viewer, bid, **context)


# --- a bond's actions ------------------------------------------------------------------------------------

def _bond_state(bond, action) -> Refusal:
    return in_state(bond, action, BOND_TRANSITIONS)


def can_pay(viewer, bond: Bond, **_context) -> Refusal:
    return first(_bond_keeper(viewer), _bond_state(bond, "pay"))


def can_refund(viewer, bond: Bond, **_context) -> Refusal:
    return first(_bond_keeper(viewer), _bond_state(bond, "refund"))


def can_forfeit(viewer, bond: Bond, **_context) -> Refusal:
    return first(_bond_keeper(viewer), _bond_state(bond, "forfeit"))


def can_convert_to_performance(viewer, bond: Bond, **_context) -> Refusal:
    """A paid bid bond of a won bid becomes its performance bond (same money, already paid)."""
    refusal = _bond_keeper(viewer)
    if refusal is not None:
        return refusal
    if bond.kind != BondKind.BID:
        return Conflict(_("Only a bid bond can be converted."), code="wrong_kind")
    if bond.bid.status != S.WON:
        return _wrong_state(_("Only the bid bond of a won bid becomes the performance bond."))
    return _bond_state(bond, "convert_to_performance")


BOND_RULES = {
    "pay": can_pay,
    "refund": can_refund,
    "forfeit": can_forfeit,
    "convert_to_performance": can_convert_to_performance,
}


def bond_allowed_actions(viewer, bond: Bond) -> list[str]:
    """The actions `viewer` may fire on `bond` now."""
    return allowed(BOND_RULES, viewer, bond)
