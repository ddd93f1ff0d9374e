"""Builders of supplier test data: valid credit codes, a small PDF upload, a supplier with its licence."""

from datetime import timedelta
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opsmon.customers.credit_code import check_character
from opsmon.suppliers import services

_serial = count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def credit_code(n: int | None = None) -> str:
    """A valid unified social credit code, a new one each call."""
    first17 = f"91110000{n if n is not None else next(_serial) + 500000:09d}"
    return first17 + check_character(first17)


def pdf(name="licence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def today():
    return timezone.localdate()


def supplier(org, *, by="buyer1", categories=("hardware",), name=None, **kw):
    code = kw.pop("credit_code", None) or credit_code()
    return services.supplier_create(actor=org[by], name=name or f"供应商{code[-6:]}", credit_code=code,
                                    categories=list(categories), **kw)


def qualification(org, s, *, kind="business_licence", by="buyer1", valid_from=None, valid_to=None, number=None):
    return services.qualification_add(
        actor=org[by], supplier=s, kind=kind, number=number or f"Q-{next(_serial)}",
        valid_from=valid_from or today() - timedelta(days=365), valid_to=valid_to or today() + timedelta(days=365),
        upload=pdf())


def qualified(org, *, categories=("hardware",), **kw):
    """A qualified supplier registered by buyer1, with a licence valid for a year around today."""
    s = supplier(org, categories=categories, **kw)
    qualification(org, s)
    return services.supplier_qualify(actor=org["phead1"], supplier=s)
