"""From a directory entry to an OpsMon department and roles, by the mappings the admin edits."""

import ldap
import ldap.dn

from opsmon.accounts.models import Department

from . import config
from .models import DepartmentMapping, RoleMapping


def dn_key(dn: str) -> tuple | None:
    """A DN compared the way directories compare them (attribute names and values without case); None if
    malformed."""
    try:
        parsed = ldap.dn.str2dn(dn)
    except (ldap.DECODING_ERROR, TypeError, ValueError):
        return None
    return tuple(tuple((attr.lower(), value.lower()) for attr, value, _flags in rdn) for rdn in parsed)


def ou_names(dn: str) -> list[str]:
    """The OU values of an entry's DN, nearest first ("uid=z,ou=East,ou=Sales,..." → ["East", "Sales"])."""
    key = ldap.dn.str2dn(dn) if dn_key(dn) else []
    return [value for rdn in key[1:] for attr, value, _flags in rdn if attr.lower() == "ou"]


def department_for(*, dn: str, attrs) -> Department | None:
    """The mapped department of the first candidate value that has a mapping: the department attribute's values
    when one is set, else the entry's OUs from the nearest outwards. None when nothing maps."""
    attribute = config.conf()["DEPARTMENT_ATTRIBUTE"]
    candidates = [str(v) for v in (attrs or {}).get(attribute, [])] if attribute else ou_names(dn)
    mappings = {m.value.lower(): m.department
                for m in DepartmentMapping.objects.select_related("department").filter(department__active=True)}
    for value in candidates:
        department = mappings.get(value.strip().lower())
        if department is not None:
            return department
    return None


def roles_for(group_dns) -> list[str]:
    """Every role mapped to one of the groups (by DN, or by the group's name when the mapping gives only a name)."""
    keys = {k for k in (dn_key(dn) for dn in group_dns) if k}
    names = {k[0][0][1] for k in keys if k and k[0]}
    roles = set()
    for m in RoleMapping.objects.all():
        if "=" in m.group:
            if dn_key(m.group) in keys:
                roles.add(m.role)
        elif m.group.strip().lower() in names:
            roles.add(m.role)
    return sorted(roles)
