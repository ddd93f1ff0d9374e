"""Opportunity imports and large exports as core.jobs kinds: the request keeps the file (or the filters) and
answers the job at once; the task worker runs it, reporting rows done and the errors found so far."""

import dataclasses
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from opsmon.core import jobs
from opsmon.core.errors import NotFound
from opsmon.core.models import Job
from opsmon.core.paging import capped_count
from opsmon.core.rules import refuse

from .. import rules, selectors
from .columns import is_chinese
from .export import export_xlsx
from .importing import import_opportunities, store_xlsx

IMPORT = "opportunities.import"
EXPORT = "opportunities.export"


@transaction.atomic
def import_job_create(*, actor, upload) -> Job:
    """Keep the checked upload (size, type, what it unpacks to: refused here with 413/422, nothing kept), queue its
    import after the commit; the job answers its progress."""
    refuse(rules.can_create(actor))
    stored = store_xlsx(actor=actor, upload=upload)
    return jobs.create(kind=IMPORT, actor=actor, file=stored)


def import_job_get(*, actor, pk) -> Job:
    """An import job of the actor's own; anyone else's is a 404."""
    job = jobs.get(actor=actor, pk=pk)
    if job.kind != IMPORT:
        raise NotFound()
    return job


def _run_import(job: Job, progress) -> jobs.Outcome:
    with job.file.file.open("rb") as fileobj:
        result = import_opportunities(
            actor=job.created_by, fileobj=fileobj, source_name=job.file.original_name,
            progress=lambda phase, done, total: progress(status=phase, done=done, total=total),
            on_errors=lambda rows: progress(errors=rows))
    return jobs.Outcome(result={"created": result.created, "ids": result.ids,
                                "customers_created": result.customers_created})


def _encode(filters: selectors.OpportunityFilters) -> dict:
    return {k: (str(v) if isinstance(v, (Decimal, date)) else v) for k, v in dataclasses.asdict(filters).items()}


def _decode(values: dict) -> selectors.OpportunityFilters:
    types = {f.name: f.type for f in dataclasses.fields(selectors.OpportunityFilters)}
    out = {}
    for name, value in values.items():
        if name not in types:
            continue
        if value is not None and "Decimal" in str(types[name]):
            value = Decimal(value)
        elif value is not None and "date" in str(types[name]):
            value = date.fromisoformat(value)
        out[name] = value
    return selectors.OpportunityFilters(**out)


def export_stem() -> str:
    return "商机" if is_chinese() else "opportunities"


def export_needs_job(*, actor, filters: selectors.OpportunityFilters) -> bool:
    """Whether more rows match than an export builds in the request (EXPORT_JOB_ROWS)."""
    _count, exact = capped_count(selectors.opportunity_list(actor=actor, filters=filters), jobs.export_threshold())
    return not exact


def export_job_create(*, actor, filters: selectors.OpportunityFilters) -> Job:
    return jobs.create(kind=EXPORT, actor=actor, params={"filters": _encode(filters)})


def _run_export(job: Job, progress) -> jobs.Outcome:
    filters = _decode(job.params.get("filters") or {})
    total = jobs.export_total(selectors.opportunity_list(actor=job.created_by, filters=filters))
    progress(total=total)
    content = export_xlsx(actor=job.created_by, filters=filters, progress=lambda done: progress(done=done))
    return jobs.Outcome(result={"rows": total}, content=content,
                        filename=f"{export_stem()}-{timezone.localdate():%Y%m%d}.xlsx")


jobs.register(IMPORT, gettext_lazy("Import opportunities"), _run_import)
jobs.register(EXPORT, gettext_lazy("Export opportunities"), _run_export)
