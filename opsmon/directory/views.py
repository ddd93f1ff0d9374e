"""Directory pages: the admin's mappings (directory value → department, group → role) and, for heads, the open
work of members the directory disabled."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsmon.accounts.roles import Role
from opsmon.core.errors import ApplicationError
from opsmon.core.web import apply_error, role_required

from . import config, selectors, services
from .forms import DepartmentMappingForm, RoleMappingForm
from .models import DepartmentMapping, DirectoryAccount, RoleMapping

SHOWN_SETTINGS = ("SERVER_URI", "START_TLS", "BIND_DN", "USER_SEARCH_BASE", "USER_FILTER", "GROUP_SEARCH_BASE",
                  "GROUP_TYPE", "DEPARTMENT_ATTRIBUTE", "TIMEOUT")


@role_required(Role.ADMIN)
def mapping_list(request):
    c = config.conf()
    return render(request, "directory/mapping_list.html", {
        "enabled": config.enabled(),
        "settings": [(name, c[name]) for name in SHOWN_SETTINGS],
        "department_mappings": DepartmentMapping.objects.select_related("department").order_by("value"),
        "role_mappings": RoleMapping.objects.order_by("group", "role"),
        "directory_users": DirectoryAccount.objects.filter(disabled_at__isnull=True).count(),
    })


def _edit(request, *, form_class, load, save, initial_of, title):
    existing = load()
    form = form_class(request.POST or None, initial=initial_of(existing) if existing else {})
    if request.method == "POST" and form.is_valid():
        try:
            save(existing, form.cleaned_data)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("directory:mapping_list")
    return render(request, "directory/mapping_form.html", {"form": form, "subject": existing, "title": title})


@role_required(Role.ADMIN)
def department_mapping_edit(request, pk=None):
    return _edit(
        request, form_class=DepartmentMappingForm,
        load=lambda: services.mapping_get(DepartmentMapping, pk) if pk else None,
        save=lambda m, data: services.department_mapping_save(actor=request.user, value=data["value"],
                                                              department=data["department"], mapping_=m),
        initial_of=lambda m: {"value": m.value, "department": m.department_id},
        title=_("Department mapping"))


@role_required(Role.ADMIN)
def role_mapping_edit(request, pk=None):
    return _edit(
        request, form_class=RoleMappingForm,
        load=lambda: services.mapping_get(RoleMapping, pk) if pk else None,
        save=lambda m, data: services.role_mapping_save(actor=request.user, group=data["group"], role=data["role"],
                                                        mapping_=m),
        initial_of=lambda m: {"group": m.group, "role": m.role},
        title=_("Role mapping"))


@require_POST
@role_required(Role.ADMIN)
def department_mapping_delete(request, pk):
    services.mapping_delete(actor=request.user, mapping_=services.mapping_get(DepartmentMapping, pk))
    messages.success(request, _("Deleted."))
    return redirect("directory:mapping_list")


@require_POST
@role_required(Role.ADMIN)
def role_mapping_delete(request, pk):
    services.mapping_delete(actor=request.user, mapping_=services.mapping_get(RoleMapping, pk))
    messages.success(request, _("Deleted."))
    return redirect("directory:mapping_list")


@login_required
def departed(request):
    """Heads (and the admin): members the directory disabled, and the work each one leaves open."""
    if not (request.user.is_admin or request.user.has_role(Role.DEPT_HEAD)):
        raise PermissionDenied
    people = [{"user": u, "items": selectors.open_work(u)} for u in selectors.departed_users(request.user)[:100]]
    return render(request, "directory/departed.html", {"people": people})
