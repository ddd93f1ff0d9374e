"""Directory sign-in: which directory values map to which department and role, and which users came from it."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from opsmon.accounts.models import Department
from opsmon.accounts.roles import Role


class DepartmentMapping(models.Model):
    """A directory value (of the department attribute, or an OU name of the user's entry) → an OpsMon department."""

    value = models.CharField(_("directory value"), max_length=200)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("department mapping")
        verbose_name_plural = _("department mappings")
        ordering = ["value"]
        constraints = [models.UniqueConstraint(Lower("value"), name="uniq_department_mapping_value")]

    def __str__(self):
        return f"{self.value} → {self.department}"


class RoleMapping(models.Model):
    """A directory group (its DN, or just its name) → an OpsMon role; a user gets every role his groups map to."""

    group = models.CharField(_("directory group"), max_length=500)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role mapping")
        verbose_name_plural = _("role mappings")
        ordering = ["group", "role"]
        constraints = [models.UniqueConstraint(Lower("group"), "role", name="uniq_role_mapping")]

    def __str__(self):
        return f"{self.group} → {self.get_role_display()}"


class DirectoryAccount(models.Model):
    """Marks a user as the directory's: his name, department and roles are refreshed from it at each login, and
    he is deactivated when the directory no longer has him (disabled or removed)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_account")
    dn = models.CharField(_("directory entry"), max_length=500)
    synced_at = models.DateTimeField(_("last refreshed"))
    disabled_at = models.DateTimeField(_("disabled in the directory"), null=True, blank=True)

    class Meta:
        verbose_name = _("directory account")
        verbose_name_plural = _("directory accounts")

    def __str__(self):
        return self.dn
