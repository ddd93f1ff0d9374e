"""Users, the department tree and API tokens."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .roles import SEE_ALL, Role, reads_only


class RoleNames(models.Aggregate):
    """The names of a user's groups as one comma-separated text (GROUP_CONCAT / STRING_AGG): role names hold no
    comma. Lets the query that authenticates also answer the roles (role_names, adopt_roles)."""

    function = "GROUP_CONCAT"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="GROUP_CONCAT(%(expressions)s, ',')", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="STRING_AGG(%(expressions)s, ',')", **extra)


def role_names(user_column: str = "pk"):
    """A subquery answering the roles of the user in `user_column` of the outer query."""
    groups = User.groups.through.objects.filter(user_id=models.OuterRef(user_column)).order_by()
    return models.Subquery(groups.values("user_id").annotate(names=RoleNames("group__name")).values("names")[:1])


def adopt_roles(user, names: str | None):
    """Give `user` the roles a role_names() column answered, so `user.roles` asks no query of its own."""
    user.__dict__["roles"] = frozenset(names.split(",")) if names else frozenset()
    return user


class Department(models.Model):
    """An org unit; `path` ("/1/4/") makes "this department and everything under it" one prefix test."""

    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="uniq_department_name_in_parent"),
        ]

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    def contains(self, other: "Department | None") -> bool:
        """True when `other` is this department or below it."""
        return other is not None and other.path.startswith(self.path)


class User(AbstractUser):
    """A person who logs in; roles are groups named after DOMAIN.md's roles."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="members",
        verbose_name=_("department"),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.display_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def sees_all(self) -> bool:
        return bool(self.roles & SEE_ALL)

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def reads_only(self) -> bool:
        """Only read-only roles (the executive): he records nothing, so pages hide their "new" buttons."""
        return reads_only(self.roles)


class ApiToken(models.Model):
    """A bearer token for API clients; only its SHA-256 is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"
