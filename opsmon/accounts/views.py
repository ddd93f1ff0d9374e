"""Admin pages: users with their roles, and the department tree."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from opsmon.core.errors import ApplicationError
from opsmon.core.paging import CappedPaginator
from opsmon.core.web import apply_error, role_required

from . import selectors, services
from .forms import DepartmentForm, UserForm
from .roles import Role


@role_required(Role.ADMIN)
def user_list(request):
    q = request.GET.get("q", "")[:100]
    role = request.GET.get("role", "")
    page = CappedPaginator(selectors.user_list(q=q, role=role), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html",
                  {"page": page, "q": q, "role": role, "roles": Role.choices})


@role_required(Role.ADMIN)
def user_edit(request, pk=None):
    user = selectors.user_get(pk=pk) if pk else None
    initial = {}
    if user:
        initial = {"username": user.username, "display_name": user.display_name, "email": user.email,
                   "phone": user.phone, "department": user.department, "roles": sorted(user.roles),
                   "is_active": user.is_active}
    form = UserForm(request.POST or None, initial=initial, editing=bool(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if user:
                with transaction.atomic():  # a refused profile change keeps the old password too
                    if data["password"]:
                        services.user_set_password(actor=request.user, user=user, password=data["password"])
                    services.user_update(actor=request.user, user=user, display_name=data["display_name"],
                                         email=data["email"], phone=data["phone"], department=data["department"],
                                         roles=data["roles"], is_active=data["is_active"])
            else:
                user = services.user_create(actor=request.user, username=data["username"],
                                            password=data["password"], display_name=data["display_name"],
                                            email=data["email"], phone=data["phone"],
                                            department=data["department"], roles=data["roles"])
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "subject": user})


@role_required(Role.ADMIN)
def department_list(request):
    return render(request, "accounts/department_list.html", {"departments": selectors.department_tree()})


@role_required(Role.ADMIN)
def department_edit(request, pk=None):
    department = selectors.department_get(pk=pk) if pk else None
    initial = {}
    if department:
        initial = {"name": department.name, "parent": department.parent, "order": department.order,
                   "active": department.active}
    form = DepartmentForm(request.POST or None, initial=initial)
    if department:  # a department cannot be moved under itself or its children
        form.fields["parent"].queryset = form.fields["parent"].queryset.exclude(path__startswith=department.path)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if department:
                services.department_update(actor=request.user, department=department, name=data["name"],
                                           parent=data["parent"], order=data["order"], active=data["active"])
            else:
                services.department_create(actor=request.user, name=data["name"], parent=data["parent"],
                                           order=data["order"])
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:department_list")
    return render(request, "accounts/department_form.html", {"form": form, "subject": department})
