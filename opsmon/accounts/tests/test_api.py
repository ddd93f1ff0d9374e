"""Auth, /me, users and departments through real HTTP against the live server."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def error_of(response):
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


def test_token_login_me_and_revoke(http):
    client = http("rep1")
    me = client.get("/api/v1/me").json()
    assert me["username"] == "rep1" and me["roles"] == ["sales_rep"]
    assert me["department"]["name"] == "销售一部"
    assert client.delete("/api/v1/auth/token").status_code == 204
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_token"


def test_no_credentials_is_401_in_the_error_format(http):
    response = http().get("/api/v1/me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_wrong_password_says_nothing_about_which_part_was_wrong(http):
    anon = http()
    wrong_password = anon.post("/api/v1/auth/token", json={"username": "rep1", "password": "nope"})
    wrong_user = anon.post("/api/v1/auth/token", json={"username": "nobody", "password": "nope"})
    assert wrong_password.status_code == wrong_user.status_code == 401
    assert error_of(wrong_password)["message"] == error_of(wrong_user)["message"]


def test_repeated_failures_lock_the_account_even_with_the_right_password(http):
    anon = http()
    for _ in range(5):
        anon.post("/api/v1/auth/token", json={"username": "rep2", "password": "wrong"})
    locked = anon.post("/api/v1/auth/token", json={"username": "rep2", "password": "opsmon-demo"})
    assert locked.status_code == 429
    assert error_of(locked)["code"] == "locked_out"
    assert anon.post("/api/v1/auth/token", json={"username": "rep1", "password": "opsmon-demo"}).status_code == 200


def test_malformed_json_is_400_and_missing_fields_422(http):
    anon = http()
    bad = anon.post("/api/v1/auth/token", data="{not json", headers={"Content-Type": "application/json"})
    assert bad.status_code == 400 and error_of(bad)["code"] == "malformed"
    missing = anon.post("/api/v1/auth/token", json={"username": "rep1"})
    assert missing.status_code == 422 and "password" in error_of(missing)["fields"]


def test_session_without_csrf_token_is_refused_on_writes(http):
    browser = http()
    assert browser.login_session("admin").status_code == 302
    assert browser.get("/api/v1/me").json()["username"] == "admin"
    refused = browser.post("/api/v1/departments", json={"name": "无令牌"}, csrf=False)
    assert refused.status_code == 403
    assert error_of(refused)["code"] == "csrf_failed"
    accepted = browser.post("/api/v1/departments", json={"name": "有令牌"})
    assert accepted.status_code == 201, accepted.text


def test_everyone_reads_user_names_but_only_admin_sees_details(http):
    rep_view = http("rep1").get("/api/v1/users?page_size=200").json()
    assert rep_view["count"] == 15  # the people of the README's demo-user table
    assert set(rep_view["items"][0]) == {"id", "username", "display_name"}
    admin_view = http("admin").get("/api/v1/users?role=reviewer").json()
    assert {u["username"] for u in admin_view["items"]} == {"finance1", "legal1"}
    assert "email" in admin_view["items"][0] and "roles" in admin_view["items"][0]


def test_page_size_is_capped_at_200(http):
    response = http("rep1").get("/api/v1/users?page_size=500")
    assert response.status_code == 422 and "page_size" in error_of(response)["fields"]


def test_admin_creates_user_with_roles_and_the_user_can_log_in(http):
    admin = http("admin")
    dept = next(d for d in admin.get("/api/v1/departments").json()["items"] if d["name"] == "销售二部")
    created = admin.post("/api/v1/users", json={
        "username": "rep2b", "password": "A-long-passphrase-9", "display_name": "新人",
        "department_id": dept["id"], "roles": ["sales_rep"]})
    assert created.status_code == 201, created.text
    assert created.json()["roles"] == ["sales_rep"]
    me = http().login_token("rep2b", "A-long-passphrase-9").get("/api/v1/me").json()
    assert me["department"]["name"] == "销售二部"


def test_non_admin_cannot_manage_users_or_departments(http):
    rep = http("head1")
    assert rep.post("/api/v1/users", json={"username": "x", "password": "A-long-passphrase-9"}).status_code == 403
    assert rep.post("/api/v1/departments", json={"name": "x"}).status_code == 403
    users = http("admin").get("/api/v1/users?q=rep1b").json()["items"]
    assert rep.patch(f"/api/v1/users/{users[0]['id']}", json={"roles": ["admin"]}).status_code == 403


def test_bad_user_input_is_422_naming_the_field_and_nothing_is_created(http):
    admin = http("admin")
    response = admin.post("/api/v1/users", json={"username": "x9", "password": "A-long-passphrase-9",
                                                 "roles": ["king"]})
    assert response.status_code == 422 and "roles" in error_of(response)["fields"]
    response = admin.post("/api/v1/users", json={"username": "x9", "password": "123"})
    assert response.status_code == 422 and "password" in error_of(response)["fields"]
    response = admin.post("/api/v1/users", json={"username": "has space", "password": "A-long-passphrase-9"})
    assert response.status_code == 422 and "username" in error_of(response)["fields"]
    assert admin.get("/api/v1/users?q=x9").json()["count"] == 0


def test_deactivated_user_loses_api_access(http):
    rep = http("rep1b")
    admin = http("admin")
    uid = rep.get("/api/v1/me").json()["id"]
    assert admin.patch(f"/api/v1/users/{uid}", json={"is_active": False}).status_code == 200
    assert rep.get("/api/v1/me").status_code == 401
    assert http().post("/api/v1/auth/token", json={"username": "rep1b", "password": "opsmon-demo"}).status_code == 401


def test_department_tree_moves_and_refuses_cycles(http):
    admin = http("admin")
    tree = {d["name"]: d for d in admin.get("/api/v1/departments").json()["items"]}
    assert tree["销售一部"]["parent_id"] == tree["销售中心"]["id"]
    assert tree["销售一部"]["depth"] == 1
    cycle = admin.patch(f"/api/v1/departments/{tree['销售中心']['id']}", json={"parent_id": tree["销售一部"]["id"]})
    assert cycle.status_code == 422 and "parent" in error_of(cycle)["fields"]
    unknown = admin.patch("/api/v1/departments/999999", json={"name": "x"})
    assert unknown.status_code == 404


def test_openapi_document_and_docs_page_work_offline(http):
    client = http()
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/me", "/api/v1/auth/token", "/api/v1/codes/{table}", "/api/v1/users"} <= set(schema["paths"])
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "cdn." not in docs.text and "/static/ninja/" in docs.text
