"""Directory sign-in against a real OpenLDAP server (slapd started by the test session)."""

import socket
import threading
import time

import ldap
import pytest

from opsmon.accounts.models import ApiToken, User
from opsmon.directory import services
from opsmon.directory.models import DirectoryAccount

from .slapd import PASSWORDS, group_dn, settings_for, user_dn

WRONG = "Wrong username or password."


def web_login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def token_login(client, username, password):
    return client.post("/api/v1/auth/token", {"username": username, "password": password},
                       content_type="application/json")


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_first_login_creates_the_user_with_the_mapped_department_and_roles(directory, client):
    assert not User.objects.filter(username="zhangwei").exists()
    response = web_login(client, "zhangwei", PASSWORDS["zhangwei"])
    assert response.status_code == 302, response.content.decode()[:500]
    user = User.objects.select_related("department").get(username="zhangwei")
    assert (user.display_name, user.email, user.phone) == ("张伟 Zhang", "zhangwei@example.com", "13800000001")
    assert user.department.name == "销售一部"
    assert user.roles == {"sales_rep"}
    assert not user.has_usable_password()  # the directory keeps the password, OpsMon none
    assert DirectoryAccount.objects.get(user=user).dn == user_dn("zhangwei").lower()  # as django-auth-ldap keeps it
    assert client.get("/").status_code == 200  # the session holds
    liu = token_login(client, "liuyang", PASSWORDS["liuyang"])
    assert liu.status_code == 200, liu.content
    assert User.objects.get(username="liuyang").roles == {"sales_rep", "dept_head"}  # group by name and by DN


def test_a_group_change_moves_the_roles_at_the_next_login(directory, client):
    assert web_login(client, "zhangwei", PASSWORDS["zhangwei"]).status_code == 302
    assert User.objects.get(username="zhangwei").roles == {"sales_rep"}
    directory.modify(group_dn("sales-heads"), [(ldap.MOD_ADD, "member", [user_dn("zhangwei")])])
    directory.modify(user_dn("zhangwei"), [(ldap.MOD_REPLACE, "displayName", ["张伟 Zhang (head)"])])
    try:
        client.logout()
        assert web_login(client, "zhangwei", PASSWORDS["zhangwei"]).status_code == 302
        user = User.objects.get(username="zhangwei")
        assert user.roles == {"sales_rep", "dept_head"}
        assert user.display_name == "张伟 Zhang (head)"
    finally:
        directory.modify(group_dn("sales-heads"), [(ldap.MOD_DELETE, "member", [user_dn("zhangwei")])])
        directory.modify(user_dn("zhangwei"), [(ldap.MOD_REPLACE, "displayName", ["张伟 Zhang"])])
    client.logout()
    assert web_login(client, "zhangwei", PASSWORDS["zhangwei"]).status_code == 302
    assert User.objects.get(username="zhangwei").roles == {"sales_rep"}  # and back


def test_department_from_an_attribute_instead_of_the_ou(directory, settings, client):
    from opsmon.accounts.models import Department
    from opsmon.directory.models import DepartmentMapping

    settings.DIRECTORY = {**settings.DIRECTORY, "DEPARTMENT_ATTRIBUTE": "departmentNumber"}
    DepartmentMapping.objects.create(value="east-01", department=Department.objects.get(name="技术部"))
    assert web_login(client, "zhangwei", PASSWORDS["zhangwei"]).status_code == 302
    assert User.objects.get(username="zhangwei").department.name == "技术部"  # EAST-01, matched without case


def test_a_user_in_no_mapped_group_gets_no_role_and_sees_nothing(directory, client):
    response = token_login(client, "chenjing", PASSWORDS["chenjing"])
    assert response.status_code == 200
    user = User.objects.get(username="chenjing")
    assert user.roles == frozenset() and user.department.name == "销售中心"  # nearest mapped OU: Sales
    token = response.json()["token"]
    listing = client.get("/api/v1/opportunities", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert listing.status_code == 200 and listing.json()["count"] == 0


def test_a_wrong_password_is_refused_without_saying_which_part(directory, client, english):
    wrong = web_login(client, "zhangwei", "not-his-password")
    unknown = web_login(client, "nobody-at-all", "not-his-password")
    assert wrong.status_code == unknown.status_code == 200
    for response in (wrong, unknown):
        assert "Please enter a correct username and password" in response.content.decode()
    for username in ("zhangwei", "nobody-at-all"):
        answer = token_login(client, username, "not-his-password")
        assert answer.status_code == 401 and answer.json()["error"]["message"] == WRONG


def test_a_disabled_user_is_refused_on_the_web_and_for_tokens_and_his_work_goes_to_his_head(directory, client, org):
    from opsmon.notifications.models import Notification

    assert token_login(client, "zhangwei", PASSWORDS["zhangwei"]).status_code == 200
    old_token = ApiToken.objects.get(user__username="zhangwei")
    user = User.objects.get(username="zhangwei")
    directory.modify(user_dn("zhangwei"), [(ldap.MOD_ADD, "employeeType", ["disabled"])])
    try:
        assert web_login(client, "zhangwei", PASSWORDS["zhangwei"]).status_code == 200  # the form again
        assert token_login(client, "zhangwei", PASSWORDS["zhangwei"]).status_code == 401
    finally:
        directory.modify(user_dn("zhangwei"), [(ldap.MOD_DELETE, "employeeType", None)])
    user.refresh_from_db()
    assert not user.is_active
    old_token.refresh_from_db()
    assert old_token.revoked_at is not None
    # His head hears of it, and finds his open work to reassign.
    assert Notification.objects.filter(recipient=org["head1"], url="/directory/departed/").exists()
    client.force_login(org["head1"])
    page = client.get("/directory/departed/")
    assert page.status_code == 200 and 'data-username="zhangwei"' in page.content.decode()
    client.force_login(org["rep1"])
    assert client.get("/directory/departed/").status_code == 403
    # Enabled again in the directory: he may log in again.
    client.logout()
    assert web_login(client, "zhangwei", PASSWORDS["zhangwei"]).status_code == 302
    assert User.objects.get(username="zhangwei").is_active


def test_the_open_inbox_items_of_a_departed_user_are_listed_for_his_head(directory, client, org, monkeypatch):
    from opsmon.core import inbox
    from opsmon.core.inbox import InboxItem

    assert web_login(client, "zhangwei", PASSWORDS["zhangwei"]).status_code == 302
    zhang = User.objects.get(username="zhangwei")
    stub = InboxItem("opportunity.follow_up_due", "Follow-up due", "SJ-1 某客户", "/opportunities/1/", "opportunity",
                     1, zhang.date_joined)
    monkeypatch.setattr(inbox, "_providers", [*inbox._providers, lambda actor: [stub] if actor == zhang else []])
    assert services.directory_gone(user=zhang)
    client.force_login(org["head1"])
    page = client.get("/directory/departed/").content.decode()
    assert "SJ-1 某客户" in page and 'href="/opportunities/1/"' in page
    assert any(i.kind == "directory.reassign" for i in inbox.items_for(org["head1"]))
    assert not any(i.kind == "directory.reassign" for i in inbox.items_for(org["head2"]))  # not his department


def test_a_user_removed_from_the_directory_is_deactivated_by_the_sync(directory, client):
    assert web_login(client, "zhangwei", PASSWORDS["zhangwei"]).status_code == 302
    client.logout()
    assert web_login(client, "wangfang", PASSWORDS["wangfang"]).status_code == 302
    assert client.get("/").status_code == 200
    dn = user_dn("wangfang", "West Sales,ou=Sales")
    entry = directory.admin().search_s(dn, ldap.SCOPE_BASE)[0][1]
    directory.delete(dn)
    try:
        assert services.sync() == {"checked": 2, "disabled": 1}
    finally:
        directory.add(dn, {k: [v.decode() for v in vs] for k, vs in entry.items()})
    assert not User.objects.get(username="wangfang").is_active
    assert User.objects.get(username="zhangwei").is_active
    assert client.get("/").status_code == 302  # his session ended


def test_a_local_account_is_never_taken_over_by_the_directory(directory, client, org):
    # The directory has a "rep1" too, with another password and groups: the local account stays local.
    assert token_login(client, "rep1", PASSWORDS["rep1"]).status_code == 401
    assert token_login(client, "rep1", "opsmon-demo").status_code == 200
    rep1 = User.objects.get(username="rep1")
    assert rep1.display_name == "李娜" and not DirectoryAccount.objects.filter(user=rep1).exists()
    assert token_login(client, "admin", "opsmon-demo").status_code == 200


def test_login_throttling_applies_to_directory_logins(directory, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        token_login(client, "zhangwei", "wrong-password-again")
    locked = token_login(client, "zhangwei", PASSWORDS["zhangwei"])
    assert locked.status_code == 429
    assert web_login(client, "zhangwei", PASSWORDS["zhangwei"]).status_code == 429


def test_directory_down_local_accounts_log_in_and_directory_users_are_told(directory, settings, client, english):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    settings.DIRECTORY = settings_for(f"ldap://127.0.0.1:{closed}")
    assert token_login(client, "rep1", "opsmon-demo").status_code == 200
    assert web_login(client, "rep1", "opsmon-demo").status_code == 302
    client.logout()
    page = web_login(client, "zhangwei", PASSWORDS["zhangwei"])
    assert page.status_code == 200 and "The company directory cannot be reached" in page.content.decode()
    answer = token_login(client, "zhangwei", PASSWORDS["zhangwei"])
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "directory_unavailable"
    assert "cannot be reached" in answer.json()["error"]["message"]


class SilentServer:
    """Accepts connections and never answers: a directory that hangs."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.port = self.socket.getsockname()[1]
        self.held = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _address = self.socket.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self):
        self.socket.close()
        for connection in self.held:
            connection.close()


def test_a_slow_directory_gives_up_after_the_timeout_with_a_message(directory, settings, client, english):
    server = SilentServer()
    try:
        settings.DIRECTORY = settings_for(f"ldap://127.0.0.1:{server.port}", TIMEOUT=1)
        started = time.monotonic()
        page = web_login(client, "zhangwei", PASSWORDS["zhangwei"])
        took = time.monotonic() - started
        answer = token_login(client, "zhangwei", PASSWORDS["zhangwei"])
    finally:
        server.close()
    assert page.status_code == 200 and "did not answer within 1 seconds" in page.content.decode()
    assert took < 5, took
    assert answer.status_code == 503 and "did not answer" in answer.json()["error"]["message"]


def test_off_by_default_nothing_asks_a_directory(settings, client, org):
    settings.DIRECTORY = {}
    assert token_login(client, "zhangwei", "whatever-pass-1").status_code == 401
    assert token_login(client, "rep1", "opsmon-demo").status_code == 200
