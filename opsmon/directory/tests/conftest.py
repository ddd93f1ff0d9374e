"""The test directory: one real slapd for the session (started here, stopped at the end), and OpsMon pointed at
it with the mappings of the demo organisation."""

import shutil

import pytest

from .slapd import SLAPD, Slapd, group_dn, settings_for


@pytest.fixture(scope="session")
def slapd():
    if not shutil.which(SLAPD):
        pytest.fail("Debian's slapd is needed (make system-test-deps installs slapd and ldap-utils)")
    server = Slapd().start()
    yield server
    server.stop()


@pytest.fixture
def directory(slapd, settings, org):
    """OpsMon signs in against the test directory; East/West Sales → 销售一部/二部, Sales → 销售中心; the group
    `sales` (by name) → sales rep, the group sales-heads (by DN) → department head."""
    from opsmon.accounts.models import Department
    from opsmon.directory.models import DepartmentMapping, RoleMapping

    settings.DIRECTORY = settings_for(slapd.uri)
    departments = {d.name: d for d in Department.objects.all()}
    for value, name in (("East Sales", "销售一部"), ("West Sales", "销售二部"), ("Sales", "销售中心")):
        DepartmentMapping.objects.create(value=value, department=departments[name])
    RoleMapping.objects.create(group="sales", role="sales_rep")
    RoleMapping.objects.create(group=group_dn("sales-heads"), role="dept_head")
    return slapd
