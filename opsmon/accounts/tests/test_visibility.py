"""The visibility rule of DOMAIN.md, exercised on the user table (owner = the user himself)."""

from opsmon.accounts import services
from opsmon.accounts.models import Department, User
from opsmon.accounts.visibility import is_head_of, visible_q


def seen(actor):
    return set(User.objects.filter(visible_q(actor, owner="pk")).values_list("username", flat=True))


def test_rep_sees_only_his_own(org):
    assert seen(org["rep1"]) == {"rep1"}


def test_head_sees_his_department_and_nobody_elses(org):
    assert seen(org["head1"]) == {"head1", "rep1", "rep1b"}
    assert "rep2" not in seen(org["head1"])
    assert seen(org["head2"]) == {"head2", "rep2"}


def test_head_of_a_parent_department_sees_sub_departments(org):
    centre = Department.objects.get(name="销售中心")
    boss = services.user_create(actor=org["admin"], username="boss", password="A-long-passphrase-9",
                                department=centre, roles=["dept_head"])
    assert seen(boss) == {"boss", "head1", "rep1", "rep1b", "head2", "rep2"}
    assert is_head_of(boss, org["rep2"].department)
    assert not is_head_of(org["head1"], centre)


def test_market_head_and_admin_see_everything(org):
    assert seen(org["market1"]) == set(org)
    assert seen(org["admin"]) == set(org)


def test_inactive_or_anonymous_actor_sees_nothing(org):
    from django.contrib.auth.models import AnonymousUser
    rep = org["rep1"]
    rep.is_active = False
    assert seen(rep) == set()
    assert seen(AnonymousUser()) == set()


def test_a_head_without_the_role_is_just_a_member(org):
    services.user_update(actor=org["admin"], user=org["head1"], roles=["sales_rep"])
    head = User.objects.get(username="head1")
    assert seen(head) == {"head1"}
    assert not is_head_of(head, head.department)
