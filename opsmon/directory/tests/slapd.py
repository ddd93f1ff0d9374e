"""A real OpenLDAP server for the tests: Debian's slapd in a temporary folder on a free port, loaded from an LDIF
of users, OUs and groups (slapadd before it starts). Nothing of the machine's own LDAP set-up is used."""

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import ldap
import ldap.modlist

SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
SCHEMA = Path("/etc/ldap/schema")
SUFFIX = "dc=example,dc=com"
ROOT_DN, ROOT_PW = f"cn=admin,{SUFFIX}", "root-secret-pw"
SERVICE_DN, SERVICE_PW = f"cn=opsmon,ou=services,{SUFFIX}", "service-secret-pw"
PEOPLE, GROUPS = f"ou=people,{SUFFIX}", f"ou=groups,{SUFFIX}"
PASSWORDS = {"zhangwei": "Zhang-dir-pass-1", "liuyang": "Liu-dir-pass-22", "wangfang": "Wang-dir-pass-333",
             "chenjing": "Chen-dir-pass-4444", "rep1": "Not-the-local-pass-5"}

CONFIG = """\
include {schema}/core.schema
include {schema}/cosine.schema
include {schema}/inetorgperson.schema
include {schema}/nis.schema
pidfile {root}/slapd.pid
argsfile {root}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_pw}
directory {root}/data
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
"""


def user(uid, ou, name, mail, phone, department, extra=""):
    return f"""dn: uid={uid},ou={ou},{PEOPLE}
objectClass: inetOrgPerson
uid: {uid}
cn: {name}
sn: {name.split()[-1]}
displayName: {name}
mail: {mail}
telephoneNumber: {phone}
departmentNumber: {department}
userPassword: {PASSWORDS[uid]}
{extra}
"""


OUS = {"zhangwei": "East Sales,ou=Sales", "liuyang": "East Sales,ou=Sales", "wangfang": "West Sales,ou=Sales",
       "chenjing": "Sales", "rep1": "East Sales,ou=Sales"}


def group(cn, *members):
    lines = "".join(f"member: uid={m},ou={OUS[m]},{PEOPLE}\n" for m in members)
    return f"dn: cn={cn},{GROUPS}\nobjectClass: groupOfNames\ncn: {cn}\n{lines}\n"


LDIF = f"""dn: {SUFFIX}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=services,{SUFFIX}
objectClass: organizationalUnit
ou: services

dn: {SERVICE_DN}
objectClass: person
cn: opsmon
sn: OpsMon
userPassword: {SERVICE_PW}

dn: {PEOPLE}
objectClass: organizationalUnit
ou: people

dn: ou=Sales,{PEOPLE}
objectClass: organizationalUnit
ou: Sales

dn: ou=East Sales,ou=Sales,{PEOPLE}
objectClass: organizationalUnit
ou: East Sales

dn: ou=West Sales,ou=Sales,{PEOPLE}
objectClass: organizationalUnit
ou: West Sales

dn: {GROUPS}
objectClass: organizationalUnit
ou: groups

{user("zhangwei", "East Sales,ou=Sales", "张伟 Zhang", "zhangwei@example.com", "13800000001", "EAST-01")}
{user("liuyang", "East Sales,ou=Sales", "刘洋 Liu", "liuyang@example.com", "13800000002", "EAST-01")}
{user("wangfang", "West Sales,ou=Sales", "王芳 Wang", "wangfang@example.com", "13800000003", "WEST-01")}
{user("chenjing", "Sales", "陈静 Chen", "chenjing@example.com", "13800000004", "NONE-99")}
{user("rep1", "East Sales,ou=Sales", "Impostor Rep", "impostor@example.com", "13800000005", "EAST-01")}
{group("sales", "zhangwei", "liuyang", "wangfang")}
{group("sales-heads", "liuyang")}
{group("canteen", "chenjing")}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Slapd:
    """One running slapd; `uri`, and `modify`/`delete`/`add` as the directory's administrator."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="opsmon-slapd-"))
        self.port = free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        self.process = None

    def start(self) -> "Slapd":
        (self.root / "data").mkdir()
        conf = self.root / "slapd.conf"
        conf.write_text(CONFIG.format(schema=SCHEMA, root=self.root, suffix=SUFFIX, root_dn=ROOT_DN,
                                      root_pw=ROOT_PW))
        (self.root / "data.ldif").write_text(LDIF)
        subprocess.run([SLAPADD, "-f", str(conf), "-l", str(self.root / "data.ldif")], check=True,
                       capture_output=True)
        self.log = open(self.root / "slapd.log", "w")  # noqa: SIM115 - closed in stop()
        # -d 0: stay in the foreground (so the test session owns the process) and log nothing.
        self.process = subprocess.Popen([SLAPD, "-f", str(conf), "-h", f"{self.uri}/", "-d", "0"],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                self.admin().unbind_s()
                return self
            except ldap.SERVER_DOWN:
                if self.process.poll() is not None:
                    raise RuntimeError((self.root / "slapd.log").read_text()) from None
                time.sleep(0.1)
        raise RuntimeError("slapd did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def admin(self):
        connection = ldap.initialize(self.uri, bytes_mode=False)
        connection.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
        connection.simple_bind_s(ROOT_DN, ROOT_PW)
        return connection

    def modify(self, dn: str, changes: list[tuple[int, str, list[str]]]) -> None:
        connection = self.admin()
        try:
            connection.modify_s(dn, [(op, attr, [v.encode() for v in values] if values else None)
                                     for op, attr, values in changes])
        finally:
            connection.unbind_s()

    def delete(self, dn: str) -> None:
        connection = self.admin()
        try:
            connection.delete_s(dn)
        finally:
            connection.unbind_s()

    def add(self, dn: str, attrs: dict[str, list[str]]) -> None:
        connection = self.admin()
        try:
            connection.add_s(dn, ldap.modlist.addModlist({k: [v.encode() for v in vs] for k, vs in attrs.items()}))
        finally:
            connection.unbind_s()


def user_dn(uid: str, ou: str = "East Sales,ou=Sales") -> str:
    return f"uid={uid},ou={ou},{PEOPLE}"


def group_dn(cn: str) -> str:
    return f"cn={cn},{GROUPS}"


def settings_for(uri: str, **overrides) -> dict:
    """The DIRECTORY setting that points OpsMon at the test directory."""
    return {"SERVER_URI": uri, "BIND_DN": SERVICE_DN, "BIND_PASSWORD": SERVICE_PW, "TIMEOUT": 3,
            "USER_SEARCH_BASE": PEOPLE, "USER_FILTER": "(&(uid=%(user)s)(!(employeeType=disabled)))",
            "GROUP_SEARCH_BASE": GROUPS, "GROUP_TYPE": "groupOfNames", **overrides}
