"""The login form that says when the directory failed, and the mapping forms (they parse; the services decide)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from opsmon.accounts.models import Department
from opsmon.accounts.roles import Role
from opsmon.core.web import StyledForm


class LoginForm(AuthenticationForm):
    """Django's login form; when the directory could not answer, its message replaces "wrong password"."""

    def get_invalid_login_error(self):
        problem = getattr(self.request, "login_problem", "")
        if problem:
            return ValidationError(problem, code="directory_unavailable")
        return super().get_invalid_login_error()


class DepartmentMappingForm(StyledForm, forms.Form):
    value = forms.CharField(label=_("Directory value"), max_length=200, required=False,
                            help_text=_("A value of the department attribute, or the name of an OU the user's "
                                        "entry is in (e.g. \"East Sales\"); compared without regard to case."))
    department = forms.ModelChoiceField(label=_("Department"), required=False,
                                        queryset=Department.objects.filter(active=True).order_by("path"))


class RoleMappingForm(StyledForm, forms.Form):
    group = forms.CharField(label=_("Directory group"), max_length=500, required=False,
                            help_text=_("The group's whole DN (cn=sales,ou=groups,dc=example,dc=com) or just its "
                                        "name (sales)."))
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices], required=False)
