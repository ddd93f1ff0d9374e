"""Tender intake (招标公告识读): read a tender file or pasted notice into proposals, and apply the ones the user
accepted through the tender analysis's own rules. Reading saves nothing; applying is one transaction."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opsmon.codes.models import CodeItem
from opsmon.core.errors import Invalid, NotFound, TooLarge
from opsmon.core.rules import refuse

from .. import extraction, intake, rules
from ..choices import BondKind
from ..models import Bid, BidDocument
from .bonds import bond_create
from .workflow import bid_update, tender_analysis_save

# Extractor field → Bid field. project_name may become the bid's title; bid_bond a planned bid bond.
ANALYSIS_FIELDS = {"project_no": "tender_no", "tenderer": "tenderer", "agency": "agency", "method": "tender_method",
                   "budget": "estimated_price", "ceiling_price": "ceiling_price",
                   "submission_deadline": "submission_deadline", "opening_at": "opening_at",
                   "qualification": "qualification_requirements", "scoring_method": "scoring_method"}
CODE_TABLES = {"method": "tender_method", "scoring_method": "scoring_method"}
ORDER = ("project_no", "project_name", "tenderer", "agency", "method", "budget", "ceiling_price",
         "submission_deadline", "opening_at", "bid_bond", "qualification", "scoring_method")
MAX_TEXT_CHARS = intake.text.MAX_TEXT_CHARS
EXTRA_LABELS = {"project_name": gettext_lazy("bid title (project name)"), "bid_bond": gettext_lazy("bid bond")}

UNREADABLE = {
    "empty": gettext_lazy("The file is empty or contains no text."),
    "too_large": gettext_lazy("The file is too large to read."),
    "encrypted": gettext_lazy("The file is protected by a password; save it without protection and try again."),
    "scanned": gettext_lazy("The file has no text layer (it is probably a scanned image). OCR is not supported: "
                            "paste the announcement text instead."),
    "damaged": gettext_lazy("The file is damaged or is not what its name says."),
    "unsupported": gettext_lazy("This type of file cannot be read; use PDF, Word (.docx), HTML or text."),
    "legacy_word": gettext_lazy("Old Word (.doc) files cannot be read; save it as .docx or PDF."),
}


def field_label(name: str) -> str:
    """The user's name for an extractor field: the Bid field's verbose name, or the title / bid bond."""
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    try:
        return str(Bid._meta.get_field(ANALYSIS_FIELDS[name]).verbose_name)
    except (KeyError, FieldDoesNotExist):
        return name


# --- reading ------------------------------------------------------------------------------------------

@dataclass
class Reading:
    """Proposals of one source; method/scoring carry the active code (or none) and its label."""

    proposals: intake.Proposals
    source: str
    labels: dict[str, str] = field(default_factory=dict)   # field -> code label (method, scoring_method)


def _unreadable(exc: intake.UnreadableFile):
    if exc.code == "too_large":
        return TooLarge(_("The file is larger than %(limit)s MB.") % {"limit": settings.UPLOAD_MAX_BYTES // 1048576},
                        fields={"file": _("too large")})
    message = UNREADABLE.get(exc.code, UNREADABLE["damaged"])
    return Invalid(message, code=f"unreadable_{exc.code}", fields={"file": message})


def _map_codes(reading: Reading) -> None:
    """The extractor names the seeded codes; keep them only when active, else match the admin's labels."""
    for name, table in CODE_TABLES.items():
        proposal = reading.proposals.fields.get(name)
        if proposal is None or proposal.value is None:
            continue
        items = {i.code: i for i in CodeItem.objects.filter(table__name=table, active=True)}
        item = items.get(proposal.code) or next(
            (i for i in items.values() if proposal.text and i.label_zh and (i.label_zh in proposal.text
                                                                             or proposal.text in i.label_zh)), None)
        proposal.code = item.code if item else ""
        if item:
            reading.labels[name] = item.label


def _read_bytes(data: bytes, name: str) -> intake.Proposals:
    try:
        # read in a child process within the limits of opsmon.bids.extraction (413 beyond them), then extracted
        return intake.extract(extraction.file_text(data, name, max_bytes=settings.UPLOAD_MAX_BYTES), name=name)
    except intake.UnreadableFile as exc:
        raise _unreadable(exc) from None


def tender_intake_read(*, actor, bid: Bid, document: BidDocument | None = None, upload=None,
                       text: str | None = None) -> Reading:
    """Proposals for the tender analysis from one of the bid's documents, an uploaded file or pasted text.
    Nothing is saved. Refused like editing the analysis (403 / 409); a file it cannot read is 422, too big 413."""
    refuse(rules.can_intake(actor, bid))
    if document is not None:
        if document.bid_id != bid.pk:
            raise NotFound()
        stored = document.file
        if stored.size > settings.UPLOAD_MAX_BYTES:
            raise _unreadable(intake.UnreadableFile("too_large", "too large"))
        with stored.file.open("rb") as handle:
            data = handle.read(settings.UPLOAD_MAX_BYTES + 1)
        proposals = _read_bytes(data, stored.original_name)
        source = f"{document.name} v{document.version}"
    elif upload is not None:
        if upload.size is None or upload.size > settings.UPLOAD_MAX_BYTES:
            raise _unreadable(intake.UnreadableFile("too_large", "too large"))
        upload.seek(0)
        proposals = _read_bytes(upload.read(settings.UPLOAD_MAX_BYTES + 1), upload.name or "")
        source = (upload.name or "")[:120]
    else:
        text = (text or "").strip()
        if not text:
            raise Invalid(_("Paste the announcement text, or choose a document."), code="nothing_to_read",
                          fields={"text": _("This field is required.")})
        if len(text) > MAX_TEXT_CHARS:
            raise TooLarge(_("The text is longer than %(n)s characters.") % {"n": MAX_TEXT_CHARS},
                           fields={"text": _("too long")})
        proposals = intake.extract(text)
        source = _("pasted text")
    reading = Reading(proposals=proposals, source=source)
    _map_codes(reading)
    return reading


# --- applying -----------------------------------------------------------------------------------------

def _same(name: str, value, proposed) -> bool:
    """Whether the value the user saves is the one the document proposed (so it counts as read, not typed)."""
    if proposed in (None, ""):
        return False
    if name in intake.result.MONEY_FIELDS:
        try:
            return Decimal(str(value).replace(",", "")) == Decimal(str(proposed).replace(",", ""))
        except (InvalidOperation, ValueError):
            return False
    if name in intake.result.TIME_FIELDS:
        a, b = _when(value), _when(proposed)
        return a is not None and a == b
    return " ".join(str(value).split()) == " ".join(str(proposed).split())


def _when(value) -> datetime | None:
    parsed = value if isinstance(value, datetime) else parse_datetime(str(value).strip())
    if parsed is None:
        return None
    parsed = timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
    return parsed.replace(second=0, microsecond=0)


def _comment(source: str, read: list[str], edited: list[str]) -> str:
    parts = [_("Read from %(source)s") % {"source": source[:60]}]
    if read:
        parts.append(_("from the document: %(fields)s") % {"fields": ", ".join(field_label(f) for f in read)})
    if edited:
        parts.append(_("edited: %(fields)s") % {"fields": ", ".join(field_label(f) for f in edited)})
    return "; ".join(parts)[:200]


@dataclass
class Applied:
    bid: Bid
    read: list[str]
    edited: list[str]
    bond: object = None
    notes: list[str] = field(default_factory=list)


@transaction.atomic
def tender_intake_apply(*, actor, bid: Bid, version: int, values: dict, proposed: dict | None = None,
                        source: str = "", bond_method: str = "") -> Applied:
    """Save the accepted values (extractor field names) through `tender_analysis_save`: the same checks, the
    same version check, all or nothing. The timeline entry says which values came from the document and
    which the user edited. `project_name` renames the bid; `bid_bond` plans a bid bond when the bid has none
    and the actor keeps bonds."""
    refuse(rules.can_intake(actor, bid))
    proposed = proposed or {}
    unknown = set(values) - set(ANALYSIS_FIELDS) - {"project_name", "bid_bond"}
    if unknown:
        raise Invalid(fields={name: _("Not a field of the tender analysis.") for name in sorted(unknown)})
    values = {k: v for k, v in values.items() if v not in (None, "")}
    if not values:
        raise Invalid(_("Accept at least one value."), code="nothing_accepted")
    read = [f for f in ORDER if f in values and _same(f, values[f], proposed.get(f))]
    edited = [f for f in ORDER if f in values and f not in read]
    analysis = {ANALYSIS_FIELDS[f]: values[f] for f in ORDER if f in values and f in ANALYSIS_FIELDS}
    bid.version = version
    comment = _comment(source or _("a document"), read, edited)
    try:
        bid = tender_analysis_save(actor=actor, bid=bid, **analysis, source=comment)
        if "project_name" in values:
            bid = bid_update(actor=actor, bid=bid, version=bid.version, title=str(values["project_name"])[:200])
    except Invalid as exc:
        raise Invalid(exc.message, code=exc.code, fields=analysis_errors_to_intake(exc.fields)) from None
    notes = []
    bond = None
    if "bid_bond" in values:
        if bid.bonds.filter(kind=BondKind.BID).exists():
            notes.append(_("The bid already has a bid bond; the amount from the document was not used."))
        elif not rules.keeps_bonds(actor):
            notes.append(_("Only the bid assistant plans bonds; the amount from the document was not used."))
        else:
            try:
                bond = bond_create(actor=actor, bid=bid, kind=BondKind.BID, amount=values["bid_bond"],
                                   method=bond_method or "", currency=bid.currency)
            except Invalid as exc:
                raise Invalid(exc.message, code=exc.code, fields={("bid_bond" if k == "amount" else
                                                                   "bond_method" if k == "method" else k): v
                                                                  for k, v in exc.fields.items()}) from None
    return Applied(bid=bid, read=read, edited=edited, bond=bond, notes=notes)


def analysis_errors_to_intake(error_fields: dict) -> dict:
    """Errors the analysis names by Bid field, renamed to the intake's fields (tender_no → project_no, …)."""
    back = {v: k for k, v in ANALYSIS_FIELDS.items()}
    back["title"] = "project_name"
    return {back.get(k, k): v for k, v in error_fields.items()}


def reading_json(reading: Reading) -> dict:
    """A reading as the API answers it (and the page shows it): values JSON-safe, method and scoring as codes
    with their labels, spans relative to each snippet."""
    data = reading.proposals.as_json()
    data["source"] = reading.source
    for name, proposal in reading.proposals.fields.items():
        out = data["fields"][name]
        out.pop("code", None)
        out["label"] = None
        if name in CODE_TABLES:
            out["value"] = proposal.code or None
            out["label"] = reading.labels.get(name)
        for alt in out["alternatives"]:
            alt["value"] = intake.result.plain(alt["value"]) if name not in CODE_TABLES else None
    data["fields"] = {name: data["fields"][name] for name in ORDER if name in data["fields"]}
    return data
