"""Forms of the webhook admin pages; they parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opsmon.core.events import webhook_events
from opsmon.core.web import StyledForm

from .models import DeliveryStatus


class EndpointForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.CharField(label=_("URL"), max_length=500, help_text=_("An http:// or https:// address."))
    # Write-only: never rendered back, not even after a refused submit.
    secret = forms.CharField(label=_("Secret"), max_length=200, required=False,
                             widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                             help_text=_("Signs every delivery (HMAC-SHA256); at least 16 characters."))
    events = forms.MultipleChoiceField(label=_("Events"), choices=webhook_events, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            self.fields["secret"].help_text = _("Leave empty to keep the current secret.")

    def service_data(self) -> dict:
        """Keyword arguments for the services; an empty secret on edit means "keep it"."""
        data = dict(self.cleaned_data)
        if self.editing and not data["secret"]:
            del data["secret"]
        return data


class DeliveryFilterForm(StyledForm, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *DeliveryStatus.choices])


class AccountCreateForm(StyledForm, forms.Form):
    username = forms.CharField(label=_("Account name"), max_length=40,
                               help_text=_("Lower-case letters, digits, '.', '_' or '-', e.g. pms."))
    display_name = forms.CharField(label=_("Display name"), max_length=100)
    receives_handoffs = forms.BooleanField(label=_("Receives hand-offs"), required=False, initial=True,
                                           help_text=_("Projects handed to implementation are recorded for it."))


class AccountEditForm(StyledForm, forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=100)
    active = forms.BooleanField(label=_("Active"), required=False,
                                help_text=_("Deactivating revokes every token of the account at once."))
    receives_handoffs = forms.BooleanField(label=_("Receives hand-offs"), required=False)
