"""The directory authentication backend: django-auth-ldap with OpsMon's settings, mappings and refusals.

Order in AUTHENTICATION_BACKENDS: axes (throttling) → local accounts → this. A local account with a password of its
own (the admin, companies without a directory) never goes to the directory; a user the directory created has no
local password and is checked only here. When the directory fails, `request.login_problem` carries the message the
login page and `POST /api/v1/auth/token` show instead of "wrong username or password"."""

import ldap
from django_auth_ldap.backend import LDAPBackend

from opsmon.accounts.models import User, adopt_roles, role_names

from . import config, services


class DirectoryBackend(LDAPBackend):
    @property
    def settings(self):
        if self._settings is None:
            self._settings = config.ldap_settings()
        return self._settings

    @settings.setter
    def settings(self, value):
        self._settings = value

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not config.enabled() or not username or not password:
            return None
        username = username.strip()
        local = User.objects.filter(username__iexact=username).first()
        if local is not None and local.has_usable_password() and not services.is_directory_user(local):
            return None  # a local account: the directory is not asked, and cannot take it over
        user = super().authenticate(request, username=username, password=password)
        if user is None:
            if not getattr(request, "login_problem", ""):
                services.check_gone(username)
            return None
        try:
            ldap_user = user.ldap_user
            dn, attrs, groups = ldap_user.dn, ldap_user.attrs, ldap_user.group_dns
        except ldap.LDAPError as exc:
            report(request, exc)
            return None
        return services.directory_login(user=user, dn=dn, attrs=attrs, group_dns=groups)

    def get_user(self, user_id):
        """The session's user, while active (no directory round trip per request)."""
        user = User.objects.annotate(role_names=role_names()).filter(pk=user_id, is_active=True).first()
        return adopt_roles(user, user.role_names) if user else None  # his roles in the same query (issue 18)


def report(request, exc: Exception) -> None:
    """Keep the first directory failure of this login on the request for the page or the API to show."""
    if request is not None and not getattr(request, "login_problem", ""):
        request.login_problem = config.problem_of(exc)
