"""The all-or-nothing opportunity import: read and check every row, match customers, then save in bulk."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.core.changes import inserted
from opsmon.core.errors import Invalid
from opsmon.core.files import store_upload
from opsmon.core.models import TimelineEntry
from opsmon.core.numbering import next_numbers
from opsmon.core.rules import refuse
from opsmon.customers.models import Customer

from .. import rules
from ..choices import OpportunityStatus
from ..models import Opportunity
from .bulk import insert_rows
from .reading import Errors, ImportRefused, ParsedRow, not_xlsx_message, read_rows, unreadable_message

LOOKUP_CHUNK = 2000


@dataclass
class ImportResult:
    created: int
    ids: list[int]
    customers_created: int = 0


@dataclass
class NewCustomer:
    """A customer the file names that does not exist yet; created once, however many rows name it."""

    name: str
    key: str
    credit_code: str
    customer_type: str
    industry: str
    region: str
    row: int
    pk: int | None = None


def _chunks(values, size=LOOKUP_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def resolve_customers(rows: list[ParsedRow], errors: Errors) -> list[NewCustomer]:
    """Point each row at an existing customer (credit code first, then normalised name) or a new one.

    Existing customers are read with a few IN queries, never one per row.
    """
    by_code, by_key = {}, {}
    for chunk in _chunks({r.credit_code for r in rows if r.credit_code}):
        for pk, code in Customer.objects.filter(credit_code__in=chunk).values_list("pk", "credit_code"):
            by_code[code] = pk
    for chunk in _chunks({r.customer_key for r in rows}):
        for pk, key, code, name in (Customer.objects.filter(name_key__in=chunk).order_by("pk")
                                    .values_list("pk", "name_key", "credit_code", "name")):
            by_key.setdefault(key, (pk, code, name))
    new_by_code: dict[str, NewCustomer] = {}
    new_by_key: dict[str, NewCustomer] = {}
    created: list[NewCustomer] = []
    clash = _("The customer “%(name)s” is already recorded with the credit code %(code)s.")
    for row in rows:
        code = row.credit_code
        if code and code in by_code:
            row.customer = by_code[code]
        elif row.customer_key in by_key:
            pk, known_code, name = by_key[row.customer_key]
            if code and known_code and known_code != code:
                errors.add(row.row, "credit_code", clash % {"name": name, "code": known_code})
            row.customer = pk
        elif code and code in new_by_code:
            row.customer = new_by_code[code]
        elif row.customer_key in new_by_key:
            new = new_by_key[row.customer_key]
            if code and new.credit_code and new.credit_code != code:
                errors.add(row.row, "credit_code", clash % {"name": new.name, "code": new.credit_code})
            elif code:
                new.credit_code = code
                new_by_code[code] = new
            row.customer = new
        else:
            new = NewCustomer(row.customer_name, row.customer_key, code, row.customer_type, row.industry, row.region,
                              row.row)
            created.append(new)
            new_by_key[new.key] = new
            if code:
                new_by_code[code] = new
            row.customer = new
    return created


def _timeline(model, ids, *, actor, action: str, to_status: str = "", comment: str = "", at) -> None:
    insert_rows(TimelineEntry, ("object_id",), ((pk,) for pk in ids), constants={
        "content_type_id": ContentType.objects.get_for_model(model, for_concrete_model=True).pk, "at": at,
        "actor_id": actor.pk, "action": action, "from_status": "", "to_status": to_status, "comment": comment,
        "changes": {},
    })


def save(*, actor, rows: list[ParsedRow], customers: list[NewCustomer], source_name: str = "") -> ImportResult:
    """One transaction: new customers, numbered opportunities and one timeline entry each, in bulk INSERTs.

    Every record of the import carries the same creation time; with the owner it finds the new ids again
    (by name key for customers, by number for opportunities) in one query each.
    """
    now = timezone.now()
    owned = {"owner_id": actor.pk, "department_id": actor.department_id, "created_at": now, "updated_at": now,
             "version": 1}
    comment = source_name[:200]
    try:
        with transaction.atomic():
            if customers:
                insert_rows(Customer, ("name", "name_key", "credit_code", "customer_type", "industry", "region"),
                            ((c.name, c.key, c.credit_code, c.customer_type, c.industry, c.region) for c in customers),
                            constants=owned)
                customer_ids = dict(Customer.objects.filter(owner=actor, created_at=now)
                                    .values_list("name_key", "pk"))
                for new in customers:
                    new.pk = customer_ids[new.key]
                _timeline(Customer, (c.pk for c in customers), actor=actor, action="customer.imported",
                          comment=comment, at=now)
            numbers = next_numbers("SJ", len(rows))
            status = OpportunityStatus.TRACKING
            insert_rows(
                Opportunity,
                ("number", "title", "customer_id", "source", "industry", "region", "stage", "probability",
                 "estimated_amount", "currency", "expected_close_date", "description"),
                ((number, r.title, r.customer.pk if isinstance(r.customer, NewCustomer) else r.customer, r.source,
                  r.industry, r.region, r.stage, r.probability, r.estimated_amount, r.currency,
                  r.expected_close_date, r.description) for number, r in zip(numbers, rows, strict=True)),
                constants={**owned, "status": status},
            )
            by_number = dict(Opportunity.objects.filter(owner=actor, created_at=now).values_list("number", "pk"))
            ids = [by_number[number] for number in numbers]
            inserted(Opportunity, ids)  # behind the ORM: the dashboards' summaries count them too
            _timeline(Opportunity, ids, actor=actor, action="opportunity.imported", to_status=status,
                      comment=comment, at=now)
    except IntegrityError as exc:  # a customer with the same credit code was created meanwhile
        raise ImportRefused(_("Customers changed while the file was imported; import it again.")) from exc
    return ImportResult(created=len(ids), ids=ids, customers_created=len(customers))


def import_opportunities(*, actor, fileobj, source_name: str = "", progress=None, max_rows: int | None = None,
                         max_seconds: float | None = None, on_errors=None) -> ImportResult:
    """Import every row of an xlsx or nothing: ImportRefused lists each error as {row, column, message}.

    `progress(phase, done, total)` is called every few hundred rows while validating, then once for saving;
    `on_errors(rows)` with the errors found so far when there are new ones.
    """
    refuse(rules.can_create(actor))
    if actor.department_id is None:
        raise ImportRefused(_("You belong to no department; ask the administrator."))
    rows, errors = read_rows(fileobj, progress=progress, max_rows=max_rows, max_seconds=max_seconds,
                             on_errors=on_errors)
    customers = resolve_customers(rows, errors)
    if errors:
        raise errors.refusal()
    if progress:
        progress("saving", len(rows), len(rows))
    return save(actor=actor, rows=rows, customers=customers, source_name=source_name)


def import_upload(*, actor, upload, progress=None) -> ImportResult:
    """Keep the uploaded file (size- and content-checked), then import it synchronously: at most
    IMPORT_SYNC_MAX_ROWS rows read within IMPORT_SYNC_MAX_SECONDS, else a 413 pointing to the job import."""
    refuse(rules.can_create(actor))  # before the file is even kept
    stored = store_xlsx(actor=actor, upload=upload)
    with stored.file.open("rb") as fileobj:
        return import_opportunities(actor=actor, fileobj=fileobj, source_name=stored.original_name,
                                    progress=progress, max_rows=settings.IMPORT_SYNC_MAX_ROWS,
                                    max_seconds=settings.IMPORT_SYNC_MAX_SECONDS)


def store_xlsx(*, actor, upload):
    """store_upload limited to xlsx; a refusal of the content becomes an import refusal (TooLarge stays 413)."""
    if actor.department_id is None:
        raise ImportRefused(_("You belong to no department; ask the administrator."))
    try:
        return store_upload(upload, actor=actor, allowed=frozenset({"xlsx"}))
    except Invalid as exc:
        message = {"file_type": not_xlsx_message(), "bad_file": unreadable_message()}.get(exc.code, str(exc.message))
        raise ImportRefused(message, rows=[{"row": 0, "column": "", "message": message}],
                            fields=exc.fields) from exc
