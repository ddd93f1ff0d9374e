"""Web pages for the Excel exchange: export of the filtered list, the template, the import and its progress."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from opsmon.codes.selectors import label_map
from opsmon.core import lists
from opsmon.core.errors import ApplicationError
from opsmon.core.web import StyledForm, apply_error, page_or_partial

from . import excel
from .api_excel import template_stem, xlsx_response
from .forms import OpportunityFilterForm
from .selectors import OpportunityFilters
from .views import OPPORTUNITY_LIST


class ImportForm(StyledForm, forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
                           help_text=_("Fill in the template; the first row holds the column names."))


def list_filters(request) -> OpportunityFilters:
    """The list page's filters from the same query string, parsed by the list's own form (invalid ones ignored)."""
    labels = label_map("opportunity_stage", "industry", "region")
    return OpportunityFilterForm(request.GET, labels=labels).filters()


@login_required
@require_GET
def export(request):
    """The list's export (core.lists): exactly its filtered rows, above EXPORT_JOB_ROWS a job with its progress page."""
    return lists.list_export(request, OPPORTUNITY_LIST)


@login_required
@require_GET
def import_template(request):
    return xlsx_response(excel.template_xlsx(), template_stem())


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = excel.import_job_create(actor=request.user, upload=form.cleaned_data["file"])
        except ApplicationError as error:
            apply_error(form, error)
        else:
            return redirect("opportunities:import_job", pk=job.pk)
    return render(request, "opportunities/import/page.html", {"form": form, "max_rows": excel.MAX_ROWS})


@login_required
@require_GET
def import_job(request, pk: int):
    job = excel.import_job_get(actor=request.user, pk=pk)
    return page_or_partial(request, "opportunities/import/job.html", "opportunities/import/_progress.html",
                           {"job": job})
