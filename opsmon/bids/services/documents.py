"""Bid documents: every upload is content-checked and kept; the same name again becomes a new version."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from opsmon.core import timeline
from opsmon.core.errors import Invalid, PermissionDenied
from opsmon.core.files import store_upload

from ..choices import DocumentKind
from ..models import Bid, BidDocument
from .guards import require_open, require_worker


@transaction.atomic
def document_upload(*, actor, bid: Bid, kind: str, upload) -> BidDocument:
    """Upload a tender/bid/clarification/result/other file. Voided or closed bids take only result notices,
    and only from the bid assistant."""
    if kind not in DocumentKind.values:
        raise Invalid(fields={"kind": _("Choose tender, bid, clarification, result or other.")})
    if bid.voided or bid.closed:
        if not (kind == DocumentKind.RESULT and actor.has_role("bid_assistant")):
            require_worker(actor, bid)  # who may not work on the bid is refused as such (403), not for its state
            require_open(bid)
            raise PermissionDenied()
    else:
        require_worker(actor, bid)
    stored = store_upload(upload, actor=actor)
    name = stored.original_name
    Bid.objects.select_for_update().filter(pk=bid.pk).first()  # serialise version numbers per bid
    latest = BidDocument.objects.filter(bid=bid, kind=kind, name=name).aggregate(v=Max("version"))["v"] or 0
    doc = BidDocument.objects.create(bid=bid, kind=kind, name=name, version=latest + 1, file=stored,
                                     uploaded_by=actor)
    timeline.record(bid, actor=actor, action="bid.document_uploaded",
                    comment=f"{doc.get_kind_display()}: {name} v{doc.version}")
    return doc
