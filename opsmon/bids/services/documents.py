"""Bid documents: every upload is content-checked and kept; the same name again becomes a new version."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from opsmon.core import timeline
from opsmon.core.errors import Invalid
from opsmon.core.files import store_upload
from opsmon.core.rules import refuse

from .. import rules
from ..choices import DocumentKind
from ..models import Bid, BidDocument


@transaction.atomic
def document_upload(*, actor, bid: Bid, kind: str, upload) -> BidDocument:
    """Upload a tender/bid/clarification/result/other file. Voided or closed bids take only result notices,
    and only from the bid assistant."""
    refuse(rules.can_upload_document(actor, bid, kind=kind))
    if kind not in DocumentKind.values:
        raise Invalid(fields={"kind": _("Choose tender, bid, clarification, result or other.")})
    stored = store_upload(upload, actor=actor)
    name = stored.original_name
    Bid.objects.select_for_update().filter(pk=bid.pk).first()  # serialise version numbers per bid
    latest = BidDocument.objects.filter(bid=bid, kind=kind, name=name).aggregate(v=Max("version"))["v"] or 0
    doc = BidDocument.objects.create(bid=bid, kind=kind, name=name, version=latest + 1, file=stored,
                                     uploaded_by=actor)
    timeline.record(bid, actor=actor, action="bid.document_uploaded",
                    comment=f"{doc.get_kind_display()}: {name} v{doc.version}")
    return doc
