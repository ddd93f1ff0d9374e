"""The one pipeline of every list page (issue 20, item 7): customers, projects, bids, bonds, contracts and
opportunities (list and board) parse, filter, sort, page, export and save their filters the same way.

A list declares two things:

- its filter form, a `ListFilterForm`: the fields users filter on and, declaratively, what each does to the
  queryset (`lookups`: field → lookup; `subtrees`: field → department relation, the department and everything
  below it; `search`: the lookups `q` matches; `mine`: the owner relation; `ranges`: (from, to) pairs checked
  for order), the sortable columns (`sortable`, a whitelist: anything else sorts by `default_ordering`);
- a `ListSpec`: its key (saved filters), templates, and `rows(actor, form)`, which starts from the module's
  `visible_*` selector. The filters only ever narrow what that answers: scope is never widened.

`list_page` answers the page (or the table partial for htmx), `list_export` the .xlsx of exactly the filtered
rows (through core.xlsx; above EXPORT_JOB_ROWS rows it runs as a core.jobs job and answers its progress page, from
which the creator downloads the file). A bad filter (an amount "abc", a from after its to) is shown next to its
field and ignored; the page never fails on input.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.forms.widgets import Input
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from . import filter_choices, jobs, xlsx
from .forms import DateInput, PlainSelect
from .models import SavedFilter
from .paging import CappedPaginator, capped_count
from .web import StyledForm, page_or_partial

PAGE_SIZES = (20, 50, 100)
DEFAULT_PAGE_SIZE = 50
EXPORT_JOB = "list.export"  # the job kind of an export above settings.EXPORT_JOB_ROWS rows
SAVED_FILTERS_MAX = 30  # per user and list
# Query parameters that are not part of a filter: never saved, never exported.
NOT_FILTERS = ("page", "export", "csrfmiddlewaretoken")
AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


class ListFilterForm(StyledForm, forms.Form):
    """The base of every list's filter form: "mine", page size and the sort column, plus the declarations
    `apply` reads (see the module docstring)."""

    lookups: dict[str, str] = {}
    subtrees: dict[str, str] = {}
    search: tuple[str, ...] = ()
    mine_lookup: str = ""
    ranges: tuple[tuple[str, str], ...] = ()
    sortable: tuple[str, ...] = ()
    default_ordering: str = "-created_at"

    mine = forms.BooleanField(label=gettext_lazy("Mine only"), required=False)
    per_page = forms.TypedChoiceField(label=gettext_lazy("Rows per page"), required=False, coerce=int,
                                      empty_value=None, choices=[(n, n) for n in PAGE_SIZES])
    ordering = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)

    def __init__(self, *args, owners=None, departments=None, **kwargs):
        """`owners` (users) and `departments` (in tree order, with `depth`) are the choices of the fields "owner"
        and "department" when the form has them, read once by the view."""
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            if type(f.widget) is forms.Select:  # owner lists run to hundreds of options: no template per option
                f.widget, f.widget.is_required = (PlainSelect(attrs=f.widget.attrs, choices=f.widget.choices),
                                                  f.widget.is_required)
        if owners is not None and "owner" in self.fields:
            self.fields["owner"].choices = [("", _("All owners")), *((u.pk, str(u)) for u in owners)]
        if departments is not None and "department" in self.fields:
            self.fields["department"].choices = [("", _("All departments")), *(
                (d.pk, ("— " * getattr(d, "depth", 0)) + d.name) for d in departments)]
        if not self.mine_lookup:
            del self.fields["mine"]
        self.order_fields([n for n in self.fields if n not in ("mine", "per_page", "ordering")])  # the list's first
        for f in self.fields.values():
            if f.label:
                f.widget.attrs.setdefault("aria-label", f.label)
                if isinstance(f.widget, Input) and not isinstance(f.widget, (forms.DateInput, forms.HiddenInput,
                                                                                    forms.CheckboxInput)):
                    f.widget.attrs.setdefault("placeholder", f.label)

    def clean(self):
        data = super().clean()
        for low, high in self.ranges:
            start, end = data.get(low), data.get(high)
            if start is not None and end is not None and start > end:
                text = (_("must not be before “%(from)s”.") if isinstance(start, date)
                        else _("must not be less than “%(from)s”."))
                self.add_error(high, text % {"from": self.fields[low].label})
        return data

    def value(self, name):
        """The cleaned value of `name`, or None when it is empty or invalid (an invalid filter is ignored)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None

    @property
    def order(self) -> str:
        """The sort: the asked column when it is on the whitelist, else the list's default."""
        asked = self.value("ordering") or ""
        return asked if asked.lstrip("-") in self.sortable else self.default_ordering

    @property
    def page_size(self) -> int:
        return self.value("per_page") or DEFAULT_PAGE_SIZE

    @property
    def filtered(self) -> bool:
        """Whether any filter is set (sorting and page size are not filters)."""
        return any(self.value(n) not in (None, "", False) for n in self.fields if n not in ("ordering", "per_page"))

    def apply(self, queryset, actor):
        """`queryset` (already narrowed to what `actor` may see) narrowed by every valid filter, then sorted."""
        for name, lookup in self.lookups.items():
            v = self.value(name)
            if v not in (None, ""):
                queryset = queryset.filter(**{lookup: v.pk if hasattr(v, "pk") else v})
        for name, relation in self.subtrees.items():
            v = self.value(name)
            if v:
                queryset = queryset.filter(**{f"{relation}__path__startswith": _department_path(queryset.model,
                                                                                               relation, v)})
        term = (self.value("q") or "").strip() if self.search else ""
        if term:
            match = Q()
            for lookup in self.search:
                match |= Q(**{lookup: term})
            queryset = queryset.filter(match)
        if self.mine_lookup and self.value("mine"):
            queryset = queryset.filter(**{self.mine_lookup: actor.pk})
        return queryset.order_by(self.order, "-pk")


def people():
    """The users a list's "owner" filter offers: active people of a department (not integration accounts), this
    process's copy (core.filter_choices)."""
    return filter_choices.people()


def departments():
    """The departments a list's "department" filter offers, in tree order with their depth (this process's copy)."""
    return filter_choices.departments()


def owner_field(label):
    return forms.TypedChoiceField(label=label, coerce=int, required=False, empty_value=None)


def department_field(label):
    return forms.TypedChoiceField(label=label, coerce=int, required=False, empty_value=None)


def date_field(label):
    return forms.DateField(label=label, required=False, widget=DateInput)


def _department_path(model, relation: str, pk) -> str:
    """The path of department `pk`, reached from `model` through `relation` ("department", "bid__department")."""
    for part in relation.split("__"):
        model = model._meta.get_field(part).related_model
    path = model.objects.filter(pk=pk).values_list("path", flat=True).first()
    return path or "/none/"


@dataclass(frozen=True)
class Column:
    """One column of an export: its header and how a row gives its value (amounts and dates get cell formats)."""

    header: str
    value: Callable


@dataclass(frozen=True)
class ListSpec:
    """One list: `key` names it for saved filters; `form(request)` builds its bound filter form; `rows(actor,
    form)` answers the filtered queryset, starting from the module's visible_* selector."""

    key: str
    form: Callable
    rows: Callable
    template: str
    partial: str
    export_columns: Callable | None = None  # () -> [Column]
    export_name: str = "export"
    url_name: str = ""  # the list's URL name, when its export has a route of its own (export_url_name)
    export_url_name: str = ""
    export: Callable | None = None  # (actor, form, queryset) -> bytes or a response: a module's own workbook
    counted: Callable | None = None  # (actor, form) -> (count, exact), a cheaper count
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.export or self.export_columns:
            SPECS[self.key] = self  # an export job finds its list again by key


SPECS: dict[str, ListSpec] = {}


def filter_query(query: QueryDict) -> str:
    """The query string of a list's filters (without page, export...), as saved and as exported."""
    query = query.copy()
    for name in NOT_FILTERS:
        query.pop(name, None)
    return query.urlencode()


def saved_filters(user, key: str):
    return SavedFilter.objects.filter(user=user, list_key=key).order_by("name", "id")


def _saved_filter_post(request, spec: ListSpec):
    """Save the current filter under a name, or delete one of the user's own; then back to the list."""
    action = request.POST.get("saved_filter")
    query = filter_query(QueryDict(request.POST.get("query", "")))
    if action == "save":
        name = " ".join((request.POST.get("name") or "").split())[:60]
        if not name:
            messages.error(request, _("Give the filter a name."))
        elif len(query) > 2000:
            messages.error(request, _("This filter is too long to save."))
        elif not SavedFilter.objects.filter(user=request.user, list_key=spec.key, name=name).exists() and \
                saved_filters(request.user, spec.key).count() >= SAVED_FILTERS_MAX:
            messages.error(request, _("You have saved %(n)s filters for this list: delete one first.")
                           % {"n": SAVED_FILTERS_MAX})
        else:
            SavedFilter.objects.update_or_create(user=request.user, list_key=spec.key, name=name,
                                                 defaults={"query": query})
            messages.success(request, _("Filter “%(name)s” saved.") % {"name": name})
    elif action == "delete":
        pk = request.POST.get("id", "")
        deleted, _rows = SavedFilter.objects.filter(user=request.user, list_key=spec.key,
                                                    pk=int(pk) if pk.isdigit() else None).delete()
        if deleted:
            messages.success(request, _("Saved filter deleted."))
    return redirect(request.path + (f"?{query}" if query else ""))


def list_page(request, spec: ListSpec, *, decorate: Callable | None = None, context: dict | None = None):
    """The list page of `spec`: the filter form, the sorted page of the filtered rows, saved filters, the export
    link. POST saves or deletes a saved filter; `?export=xlsx` answers the export (list_export)."""
    if request.method == "POST":
        return _saved_filter_post(request, spec)
    if request.GET.get("export") == "xlsx":
        return list_export(request, spec)
    form = spec.form(request)
    rows = spec.rows(request.user, form)
    counted = spec.counted(request.user, form) if spec.counted else None
    paginator = CappedPaginator(rows, form.page_size, counted=counted)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    if decorate:
        decorate(page.object_list, form)
    query = filter_query(request.GET)
    response = page_or_partial(request, spec.template, spec.partial, {
        "form": form, "page": page, "ordering": form.order, "list_key": spec.key,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "page_sizes": PAGE_SIZES, "filter_query": query,
        "saved_filters": saved_filters(request.user, spec.key),
        "export_url": _export_url(request, spec, query), **(context or {})})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _export_url(request, spec: ListSpec, query: str) -> str:
    if spec.export_url_name:
        return reverse(spec.export_url_name) + (f"?{query}" if query else "")
    if spec.export_columns or spec.export:
        return f"{request.path}?{query}{'&' if query else ''}export=xlsx"
    return ""


def list_export(request, spec: ListSpec):
    """The .xlsx of exactly the rows the list shows under the same query (all pages), or, above EXPORT_JOB_ROWS
    rows, a job of the task worker (never a worker of the server busy writing it) and its progress page."""
    form = spec.form(request)
    rows = spec.rows(request.user, form)
    _count, exact = capped_count(rows, jobs.export_threshold())
    if not exact:
        job = jobs.create(kind=EXPORT_JOB, actor=request.user,
                          params={"list": spec.key, "query": filter_query(request.GET)})
        return redirect("job", pk=job.pk)
    body = spec.export(request.user, form, rows) if spec.export else export_rows(rows, spec.export_columns())
    if isinstance(body, HttpResponse):  # a module's own workbook, with its own file name
        return body
    response = HttpResponse(body, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{spec.export_name}.xlsx"'
    return response


def _run_export_job(job, progress) -> jobs.Outcome:
    """The export of a list (by key) under the query it was asked with, as its creator sees it now."""
    if job.params.get("list") not in SPECS:
        get_resolver().url_patterns  # noqa: B018 - imports every module's views, where the lists are declared
    spec = SPECS[job.params["list"]]
    request = HttpRequest()  # the lists' forms read only the query string
    request.method, request.GET, request.user = "GET", QueryDict(job.params.get("query", "")), job.created_by
    form = spec.form(request)
    rows = spec.rows(job.created_by, form)
    total = jobs.export_total(rows)
    progress(total=total)
    body = (spec.export(job.created_by, form, rows) if spec.export
            else export_rows(rows, spec.export_columns(), progress=lambda done: progress(done=done)))
    if isinstance(body, HttpResponse):
        body = body.content
    return jobs.Outcome(result={"rows": total}, content=body, filename=f"{spec.export_name}.xlsx")


jobs.register(EXPORT_JOB, gettext_lazy("Export a list"), _run_export_job)


def export_rows(rows, columns: list[Column], *, progress=None) -> bytes:
    """`rows` as one sheet: a bold header, amounts and dates as typed cells, text made safe by core.xlsx;
    `progress(rows)` hears the rows written every 2,000 (an export job's progress)."""
    wb = xlsx.workbook(write_only=True)
    ws = wb.create_sheet(_("List"))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, str(column.header))
        cell.font = bold
        header.append(cell)
    xlsx.append(ws, header)
    tz = timezone.get_current_timezone()
    for written, row in enumerate(rows.iterator(chunk_size=2000) if hasattr(rows, "iterator") else rows, start=1):
        if progress and written % 2000 == 0:
            progress(written)
        values = []
        for column in columns:
            v = column.value(row)
            if isinstance(v, Decimal):
                cell = WriteOnlyCell(ws, v)
                cell.number_format = AMOUNT_FORMAT
                v = cell
            elif isinstance(v, datetime):
                cell = WriteOnlyCell(ws, timezone.localtime(v, tz).replace(tzinfo=None) if timezone.is_aware(v)
                                     else v)
                cell.number_format = "yyyy-mm-dd hh:mm"
                v = cell
            elif isinstance(v, date):
                cell = WriteOnlyCell(ws, v)
                cell.number_format = DATE_FORMAT
                v = cell
            elif v is not None and not isinstance(v, (int, float, str)):
                v = str(v)
            values.append(v)
        xlsx.append(ws, values)
    return xlsx.save(wb)
