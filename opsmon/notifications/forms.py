"""Forms of the notification pages; they parse input, the services decide."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from opsmon.accounts.models import Department
from opsmon.core.web import StyledForm

from .channels import kinds
from .models import OutgoingStatus, RobotKind


class SettingsForm(StyledForm, forms.Form):
    """The language and digest hour; the channel check boxes are read from the POST by kind (`ch-<kind>`), and
    `channels` only carries the refusal of a bad choice back to the page."""

    channels = forms.CharField(required=False, widget=forms.HiddenInput)

    language = forms.ChoiceField(label=_("Language of e-mails"), required=False,
                                 choices=[("", _("The site's language")), *settings.LANGUAGES])
    digest_at = forms.TimeField(label=_("Daily digest at"), required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                help_text=_("Empty: no digest. Your deadlines due today and overdue, and the work "
                                            "waiting for you, once a day at this time."))


def channels_from_post(post) -> dict:
    """{kind: [channels]} for every kind on the page (`ch-<kind>` boxes; a kind with none ticked is [])."""
    shown = post.getlist("kinds")
    return {kind: post.getlist(f"ch-{kind}") for kind in shown}


class RobotForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "---------"), *RobotKind.choices], required=False)
    url = forms.CharField(label=_("Webhook URL"), max_length=500, required=False,
                          help_text=_("The robot's address as the group settings show it (…/webhook/send?key=…, "
                                      "…/robot/send?access_token=…, …/bot/v2/hook/…)."))
    # Write-only: never rendered back.
    secret = forms.CharField(label=_("Signing secret"), max_length=200, required=False,
                             widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                             help_text=_("DingTalk (加签) and Feishu (签名校验): the secret shown when the robot was "
                                         "added. WeCom robots do not sign."))
    department = forms.ModelChoiceField(label=_("Department"), required=False,
                                        queryset=Department.objects.filter(active=True).order_by("path"),
                                        help_text=_("Posts the notices of this department's members (and of the "
                                                    "departments below it) who chose the group robot."))
    event_kinds = forms.MultipleChoiceField(label=_("Kinds of event"), required=False,
                                            choices=lambda: [(k.key, k.label) for k in kinds()],
                                            widget=forms.SelectMultiple(attrs={"size": 8}),
                                            help_text=_("Posts every event of these kinds, whoever it concerns."))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["secret"].help_text = _("Leave empty to keep the current secret.")


class OutgoingFilterForm(StyledForm, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *OutgoingStatus.choices])
