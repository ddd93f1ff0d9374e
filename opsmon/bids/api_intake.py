"""/bids/{id}/tender-analysis/extract and /apply: read a tender notice into proposals, then save the accepted ones."""

import json

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from opsmon.core.errors import Invalid, Malformed, TooLarge
from opsmon.core.schemas import ERRORS, ErrorOut, In

from . import selectors
from .api import bid_out
from .schemas import BidDetailOut
from .services import intake

router = Router(tags=["bids"])
READ_ERRORS = {**ERRORS, 413: ErrorOut}

_EXTRACT_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary", "description": "PDF (with a text layer), .docx, .html or .txt"},
        "document_id": {"type": "integer", "description": "or one of the bid's uploaded documents"}}}},
    "application/json": {"schema": {"type": "object", "properties": {
        "text": {"type": "string", "description": "the announcement's text, pasted"},
        "document_id": {"type": "integer"}}}},
}}}


class AlternativeOut(Schema):
    value: str | None
    text: str
    snippet: str
    start: int
    end: int
    confidence: float


class ProposalOut(Schema):
    value: str | None = Field(description="yuan as \"1200000.00\", times ISO 8601 +08:00, method and "
                                          "scoring_method as code-table codes (null when no active code fits)")
    text: str = Field(description="the value as the document writes it")
    label: str | None = Field(description="the code's label for method and scoring_method")
    snippet: str = Field(description="the sentence the value came from")
    start: int = Field(description="where the value starts inside the snippet")
    end: int
    offset: int = Field(description="where the snippet starts in the document's text")
    confidence: float
    alternatives: list[AlternativeOut]


class IntakeLotOut(Schema):
    number: str = Field(description="the lot's number (包 / 标段 / 标项), \"1\" for 第一包")
    name: str | None = Field(description="the lot's name as the notice writes it")
    budget: str | None = Field(description="the lot's budget in yuan, \"1200000.00\"")
    ceiling: str | None = Field(description="the lot's ceiling price (最高限价) in yuan")


class ExtractOut(Schema):
    kind: str = Field(description="tender | award | correction | termination; award and termination notices "
                                  "get no deadline, opening, budget, bond or qualification")
    source: str
    chars: int
    fields: dict[str, ProposalOut] = Field(description="project_no, project_name, tenderer, agency, method, budget, "
                                                       "ceiling_price, submission_deadline, opening_at, bid_bond, "
                                                       "qualification, scoring_method — only those found")
    lots: list[IntakeLotOut] = Field([], description="the lots the notice states, each with its own budget and "
                                                     "ceiling; budget and ceiling_price above are the tender's "
                                                     "(its total), never one lot's")


class ApplyIn(In):
    version: int
    values: dict[str, str | None] = Field(description="accepted (possibly edited) values by extractor field name")
    proposed: dict[str, str | None] = Field({}, description="what extract proposed, to record which values came "
                                                            "from the document unchanged")
    source: str = Field("", max_length=200)
    bond_method: str = Field("", max_length=32, description="bond_method code when bid_bond is accepted")


class ApplyOut(Schema):
    bid: BidDetailOut
    from_document: list[str]
    edited: list[str]
    bond_id: int | None
    notes: list[str]


def _document(request, raw):
    if raw in (None, ""):
        return None
    try:
        return selectors.document_get(actor=request.auth, pk=int(raw))
    except (TypeError, ValueError):
        raise Invalid(fields={"document_id": _("Not a number.")}) from None


@router.post("/bids/{bid_id}/tender-analysis/extract", response={200: ExtractOut, **READ_ERRORS},
             openapi_extra=_EXTRACT_BODY)
def extract(request, bid_id: int):
    """Read a tender notice — multipart `file`, JSON `{"text"}`, or `document_id` of one of the bid's documents —
    and propose the tender-analysis fields with their snippets. Nothing is saved. Same rights as editing the
    analysis; a file that cannot be read (empty, scanned, encrypted, damaged) is 422, one over the upload
    limit 413."""
    bid = selectors.bid_get(actor=request.auth, pk=bid_id)
    upload = text = document = None
    if (request.content_type or "").startswith("multipart/"):
        upload = request.FILES.get("file")
        document = _document(request, request.POST.get("document_id"))
        text = request.POST.get("text")
    else:
        try:
            body = json.loads(request.body or b"{}")
        except RequestDataTooBig:
            raise TooLarge(fields={"text": _("too large")}) from None
        except ValueError:
            raise Malformed() from None
        if not isinstance(body, dict):
            raise Malformed()
        document = _document(request, body.get("document_id"))
        text = body.get("text")
        if text is not None and not isinstance(text, str):
            raise Invalid(fields={"text": _("Not a text.")})
    if document is None and upload is None and not (text or "").strip():
        raise Invalid(_("Send a file, a text or a document_id."), code="nothing_to_read",
                      fields={"file": _("This field is required.")})
    reading = intake.tender_intake_read(actor=request.auth, bid=bid, document=document, upload=upload, text=text)
    return intake.reading_json(reading)


@router.post("/bids/{bid_id}/tender-analysis/apply", response={200: ApplyOut, **ERRORS})
def apply(request, bid_id: int, payload: ApplyIn):
    """Save accepted proposals through the tender analysis (same checks, `version` must be current); the
    timeline records which fields came from the document unchanged and which were edited."""
    bid = selectors.bid_get(actor=request.auth, pk=bid_id)
    applied = intake.tender_intake_apply(actor=request.auth, bid=bid, version=payload.version, values=payload.values,
                                         proposed=payload.proposed, source=payload.source,
                                         bond_method=payload.bond_method)
    return {"bid": bid_out(selectors.bid_get(actor=request.auth, pk=bid_id), viewer=request.auth),
            "from_document": applied.read,
            "edited": applied.edited, "bond_id": applied.bond.pk if applied.bond else None, "notes": applied.notes}
