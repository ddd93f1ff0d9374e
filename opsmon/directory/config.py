"""The directory settings (settings.DIRECTORY, filled from the LDAP_* environment) in the shapes django-auth-ldap and
python-ldap take, and the one way to open a connection for lookups outside a login."""

import ldap
import ldap.filter
from django.conf import settings
from django.utils.translation import gettext as _
from django_auth_ldap.config import (
    ActiveDirectoryGroupType,
    GroupOfNamesType,
    GroupOfUniqueNamesType,
    LDAPSearch,
    LDAPSettings,
    NestedActiveDirectoryGroupType,
    NestedGroupOfNamesType,
    PosixGroupType,
)

DEFAULTS = {
    "SERVER_URI": "",                    # ldap://dc1.corp.example:389 or ldaps://...; empty = no directory sign-in
    "BIND_DN": "",                       # the service account that looks users up (empty = anonymous)
    "BIND_PASSWORD": "",
    "START_TLS": False,
    "CA_FILE": "",                       # the CA of the directory's certificate (LDAPS / StartTLS)
    "TIMEOUT": 5,                        # seconds for connecting and for each answer
    "USER_SEARCH_BASE": "",
    # Active Directory, leaving disabled accounts out:
    # (&(sAMAccountName=%(user)s)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))
    "USER_FILTER": "(uid=%(user)s)",
    "GROUP_SEARCH_BASE": "",
    "GROUP_FILTER": "(objectClass=groupOfNames)",
    "GROUP_TYPE": "groupOfNames",
    "NAME_ATTRIBUTE": "displayName",
    "EMAIL_ATTRIBUTE": "mail",
    "PHONE_ATTRIBUTE": "telephoneNumber",
    "DEPARTMENT_ATTRIBUTE": "",          # e.g. departmentNumber; empty = the OUs of the user's entry
}

GROUP_TYPES = {
    "groupOfNames": GroupOfNamesType,
    "groupOfUniqueNames": GroupOfUniqueNamesType,
    "posixGroup": PosixGroupType,
    "activeDirectory": ActiveDirectoryGroupType,
    "nestedGroupOfNames": NestedGroupOfNamesType,
    "nestedActiveDirectory": NestedActiveDirectoryGroupType,
}


class DirectoryUnavailable(Exception):
    """The directory could not answer (down, slow, refusing OpsMon's own bind); the message is for the user."""


def conf() -> dict:
    return {**DEFAULTS, **(getattr(settings, "DIRECTORY", None) or {})}


def enabled() -> bool:
    return bool(conf()["SERVER_URI"])


def connection_options(c: dict | None = None) -> dict:
    c = c or conf()
    timeout = float(c["TIMEOUT"])
    options = {ldap.OPT_NETWORK_TIMEOUT: timeout, ldap.OPT_TIMEOUT: timeout, ldap.OPT_REFERRALS: 0}
    if c["CA_FILE"]:
        options[ldap.OPT_X_TLS_CACERTFILE] = c["CA_FILE"]
        options[ldap.OPT_X_TLS_REQUIRE_CERT] = ldap.OPT_X_TLS_DEMAND
        options[ldap.OPT_X_TLS_NEWCTX] = 0  # last: applies the TLS options above
    return options


def ldap_settings() -> LDAPSettings:
    """django-auth-ldap's settings object built from ours (it would otherwise read AUTH_LDAP_* settings)."""
    c = conf()
    s = LDAPSettings(prefix="OPSMON_DIRECTORY_UNUSED_")
    s.SERVER_URI = c["SERVER_URI"]
    s.BIND_DN = c["BIND_DN"]
    s.BIND_PASSWORD = c["BIND_PASSWORD"]
    s.START_TLS = bool(c["START_TLS"])
    s.CONNECTION_OPTIONS = connection_options(c)
    s.USER_SEARCH = LDAPSearch(c["USER_SEARCH_BASE"], ldap.SCOPE_SUBTREE, c["USER_FILTER"])
    if c["GROUP_SEARCH_BASE"]:
        s.GROUP_SEARCH = LDAPSearch(c["GROUP_SEARCH_BASE"], ldap.SCOPE_SUBTREE, c["GROUP_FILTER"])
        s.GROUP_TYPE = GROUP_TYPES.get(c["GROUP_TYPE"], GroupOfNamesType)()
    s.USER_ATTR_MAP = {field: c[key] for field, key in (("display_name", "NAME_ATTRIBUTE"),
                                                         ("email", "EMAIL_ATTRIBUTE"),
                                                         ("phone", "PHONE_ATTRIBUTE")) if c[key]}
    s.ALWAYS_UPDATE_USER = True
    s.CACHE_TIMEOUT = 0
    return s


def problem_of(exc: Exception) -> str:
    """What a user is told when the directory fails him (never which part of his credentials was wrong)."""
    if isinstance(exc, ldap.TIMEOUT):
        return _("The company directory did not answer within %(seconds)s seconds, so directory accounts cannot "
                 "log in right now. Try again in a few minutes or ask an administrator.") % {
                     "seconds": f"{float(conf()['TIMEOUT']):g}"}
    if isinstance(exc, ldap.SERVER_DOWN | ldap.CONNECT_ERROR):
        return _("The company directory cannot be reached, so directory accounts cannot log in right now (local "
                 "accounts still can). Try again in a few minutes or ask an administrator.")
    return _("Directory sign-in is not working right now; ask an administrator.")


def connect():
    """A connection bound as the service account; DirectoryUnavailable when the directory fails."""
    c = conf()
    try:
        connection = ldap.initialize(c["SERVER_URI"], bytes_mode=False)
        for option, value in connection_options(c).items():
            connection.set_option(option, value)
        if c["START_TLS"]:
            connection.start_tls_s()
        connection.simple_bind_s(c["BIND_DN"], c["BIND_PASSWORD"])
    except ldap.LDAPError as exc:
        raise DirectoryUnavailable(problem_of(exc)) from exc
    return connection


def find_user(username: str, connection=None) -> str | None:
    """The DN of `username` under the user filter (so a disabled account filtered out is not found), or None."""
    c = conf()
    connection = connection or connect()
    query = c["USER_FILTER"] % {"user": ldap.filter.escape_filter_chars(username)}
    try:
        found = connection.search_s(c["USER_SEARCH_BASE"], ldap.SCOPE_SUBTREE, query, ["1.1"])
    except ldap.NO_SUCH_OBJECT:
        return None
    except ldap.LDAPError as exc:
        raise DirectoryUnavailable(problem_of(exc)) from exc
    entries = [dn for dn, _attrs in found if dn]
    return entries[0] if len(entries) == 1 else None
