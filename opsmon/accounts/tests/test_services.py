import pytest
from django.contrib.sessions.backends.db import SessionStore

from opsmon.accounts import selectors, services
from opsmon.accounts.models import ApiToken, Department, User
from opsmon.core.errors import Conflict, Invalid, NotAuthenticated, PermissionDenied
from opsmon.core.models import TimelineEntry

STRONG = "Correct-horse-battery-7"


def test_admin_creates_a_department_and_the_timeline_records_it(org):
    dept = services.department_create(actor=org["admin"], name="销售三部",
                                       parent=Department.objects.get(name="销售中心"))
    assert dept.path == f"{dept.parent.path}{dept.pk}/"
    assert TimelineEntry.objects.filter(object_id=dept.pk, action="department.created").count() == 1


def test_non_admin_cannot_create_departments(org):
    with pytest.raises(PermissionDenied):
        services.department_create(actor=org["head1"], name="私设部门")
    assert not Department.objects.filter(name="私设部门").exists()


def test_duplicate_department_name_under_same_parent_is_a_conflict(org):
    parent = Department.objects.get(name="销售中心")
    with pytest.raises(Conflict):
        services.department_create(actor=org["admin"], name="销售一部", parent=parent)


def test_moving_a_department_moves_its_whole_subtree(org):
    centre = Department.objects.get(name="销售中心")
    market = Department.objects.get(name="市场部")
    services.department_update(actor=org["admin"], department=centre, parent=market)
    sales1 = Department.objects.get(name="销售一部")
    assert sales1.path.startswith(market.path)
    assert is_under(sales1, market)


def is_under(child, parent):
    return Department.objects.get(pk=parent.pk).contains(Department.objects.get(pk=child.pk))


def test_a_department_cannot_move_under_its_own_child(org):
    centre = Department.objects.get(name="销售中心")
    with pytest.raises(Invalid) as err:
        services.department_update(actor=org["admin"], department=centre,
                                   parent=Department.objects.get(name="销售一部"))
    assert "parent" in err.value.fields
    assert Department.objects.get(pk=centre.pk).parent is None


def test_a_department_with_active_members_cannot_be_deactivated(org):
    with pytest.raises(Conflict):
        services.department_update(actor=org["admin"], department=org["rep1"].department, active=False)


def test_create_user_refuses_unknown_roles_weak_passwords_and_taken_names(org):
    admin = org["admin"]
    with pytest.raises(Invalid) as err:
        services.user_create(actor=admin, username="x1", password=STRONG, roles=["emperor"])
    assert "roles" in err.value.fields
    with pytest.raises(Invalid) as err:
        services.user_create(actor=admin, username="x2", password="123")
    assert "password" in err.value.fields
    with pytest.raises(Conflict):
        services.user_create(actor=admin, username="REP1", password=STRONG)
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()


def test_roles_can_be_changed_by_the_admin_only(org):
    with pytest.raises(PermissionDenied):
        services.user_update(actor=org["head1"], user=org["rep1"], roles=["dept_head"])
    services.user_update(actor=org["admin"], user=org["rep1"], roles=["sales_rep", "bid_assistant"])
    assert set(User.objects.get(username="rep1").roles) == {"sales_rep", "bid_assistant"}


def test_admin_cannot_lock_himself_out(org):
    with pytest.raises(Conflict):
        services.user_update(actor=org["admin"], user=org["admin"], is_active=False)
    with pytest.raises(Conflict):
        services.user_update(actor=org["admin"], user=org["admin"], roles=["sales_rep"])


def test_deactivating_a_user_revokes_tokens_and_ends_sessions(org):
    rep = org["rep1"]
    key, _ = services.token_issue(user=rep)
    session = SessionStore()
    session["_auth_user_id"] = str(rep.pk)
    session.create()
    services.user_update(actor=org["admin"], user=rep, is_active=False)
    with pytest.raises(NotAuthenticated):
        services.token_user(key)
    assert not SessionStore().exists(session.session_key)


def test_tokens_are_stored_hashed_and_can_be_revoked(org):
    key, token = services.token_issue(user=org["rep1"])
    assert key not in token.key_hash and len(token.key_hash) == 64
    assert services.token_user(key) == org["rep1"]
    services.token_revoke(key=key)
    with pytest.raises(NotAuthenticated):
        services.token_user(key)
    with pytest.raises(NotAuthenticated):
        services.token_user("made-up")
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 1


def test_changing_a_password_revokes_existing_tokens(org):
    key, _ = services.token_issue(user=org["rep1"])
    services.user_set_password(actor=org["rep1"], user=org["rep1"], password=STRONG)
    with pytest.raises(NotAuthenticated):
        services.token_user(key)
    with pytest.raises(PermissionDenied):
        services.user_set_password(actor=org["rep1"], user=org["rep2"], password=STRONG)


def test_user_list_filters_by_role(org):
    assert {u.username for u in selectors.user_list(role="reviewer")} == {"finance1", "legal1"}
