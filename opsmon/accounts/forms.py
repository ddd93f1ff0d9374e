"""Forms of the admin pages; they parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opsmon.core.web import StyledForm

from .models import Department
from .roles import Role


class DepartmentForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    parent = forms.ModelChoiceField(label=_("Parent"), queryset=Department.objects.order_by("path"), required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class UserForm(StyledForm, forms.Form):
    username = forms.RegexField(label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$")
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.filter(active=True),
                                        required=False)
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=Role.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(render_value=False), required=False,
                               help_text=_("Leave empty to keep the current password."))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["username"].disabled = True
        else:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""
            del self.fields["is_active"]
