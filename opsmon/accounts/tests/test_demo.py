from django.contrib.auth.hashers import identify_hasher

from opsmon.accounts import demo

EXPECTED = {
    "admin": ("信息中心", {"admin"}),
    "head1": ("销售一部", {"dept_head"}),
    "rep1": ("销售一部", {"sales_rep"}),
    "rep1b": ("销售一部", {"sales_rep"}),
    "head2": ("销售二部", {"dept_head"}),
    "rep2": ("销售二部", {"sales_rep"}),
    "lead1": ("技术部", {"tech_lead", "inspector"}),
    "assistant1": ("商务部", {"bid_assistant"}),
    "market1": ("市场部", {"market_head"}),
    "finance1": ("财务部", {"reviewer", "finance"}),
    "legal1": ("法务部", {"reviewer"}),
    "ceo1": ("总经办", {"executive"}),
    "buyer1": ("采购部", {"purchaser"}),
    "phead1": ("采购部", {"procurement_head"}),
    "keeper1": ("库房", {"inspector"}),
}


def test_demo_has_exactly_the_readme_users_with_their_departments_and_roles(org):
    assert set(org) == set(EXPECTED)
    for username, (department, roles) in EXPECTED.items():
        user = org[username]
        assert user.department.name == department, username
        assert set(user.roles) == roles, username
        assert user.check_password(demo.PASSWORD), username
        assert user.is_active


def test_demo_passwords_are_hashed_with_argon2(org):
    assert {identify_hasher(u.password).algorithm for u in org.values()} == {"argon2"}


def test_sales_departments_sit_under_the_sales_centre(org):
    assert org["rep1"].department.parent.name == "销售中心"
    assert org["rep2"].department.parent.name == "销售中心"


def test_loading_demo_twice_changes_nothing(org):
    demo.load()
    from opsmon.accounts.models import Department, User
    assert User.objects.count() == len(EXPECTED)
    assert Department.objects.count() == len(demo.DEPARTMENTS)
