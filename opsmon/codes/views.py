"""Admin pages for code tables."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.core.errors import ApplicationError
from opsmon.core.web import apply_error, role_required

from . import selectors, services
from .forms import CodeItemForm
from .models import VALUE_NAMES, CodeTable


@role_required(Role.ADMIN)
def table_list(request):
    tables = CodeTable.objects.annotate(
        active_count=Count("items", filter=Q(items__active=True)), total=Count("items"),
    ).order_by("name")
    return render(request, "codes/table_list.html", {"tables": tables})


@role_required(Role.ADMIN)
def table_detail(request, table):
    code_table = selectors.table_get(name=table)
    items = selectors.items(table=table, include_inactive=True)
    return render(request, "codes/table_detail.html", {"table": code_table, "items": items,
                                                       "has_value": code_table.name in VALUE_NAMES})


@role_required(Role.ADMIN)
def item_edit(request, table, code=None):
    code_table = selectors.table_get(name=table)
    item = selectors.item_get(table=table, code=code) if code else None
    initial = {}
    if item:
        initial = {"code": item.code, "label_zh": item.label_zh, "label_en": item.label_en, "order": item.order,
                   "probability": item.probability, "active": item.active, "value": item.value}
    form = CodeItemForm(request.POST or None, initial=initial, table=code_table, editing=bool(item))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if item:
                services.item_update(actor=request.user, item=item, label_zh=data["label_zh"],
                                     label_en=data["label_en"], order=data["order"], active=data["active"],
                                     probability=data.get("probability"), value=data.get("value"))
            else:
                services.item_create(actor=request.user, table=code_table, code=data["code"],
                                     label_zh=data["label_zh"], label_en=data["label_en"], order=data["order"],
                                     probability=data.get("probability"), value=data.get("value"))
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("codes:table_detail", table=table)
    return render(request, "codes/item_form.html", {"form": form, "table": code_table, "item": item})
