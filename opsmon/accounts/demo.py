"""Demo departments and users (password `opsmon-demo` for all), as the README lists them."""

from django.contrib.auth.models import Group
from django.db import transaction

from . import services
from .models import Department, User
from .roles import Role

PASSWORD = "opsmon-demo"

# username: (display name, department, roles)
USERS = {
    "head1": ("张伟", "销售一部", [Role.DEPT_HEAD]),
    "rep1": ("李娜", "销售一部", [Role.SALES_REP]),
    "rep1b": ("王强", "销售一部", [Role.SALES_REP]),
    "head2": ("刘洋", "销售二部", [Role.DEPT_HEAD]),
    "rep2": ("陈静", "销售二部", [Role.SALES_REP]),
    "lead1": ("赵磊", "技术部", [Role.TECH_LEAD, Role.INSPECTOR]),
    "assistant1": ("孙丽", "商务部", [Role.BID_ASSISTANT]),
    "market1": ("周杰", "市场部", [Role.MARKET_HEAD]),
    "finance1": ("吴敏", "财务部", [Role.REVIEWER, Role.FINANCE]),
    "legal1": ("郑涛", "法务部", [Role.REVIEWER]),
    "ceo1": ("钱坤", "总经办", [Role.EXECUTIVE]),
    "buyer1": ("冯雪", "采购部", [Role.PURCHASER]),
    "phead1": ("韩冰", "采购部", [Role.PROCUREMENT_HEAD]),
    "keeper1": ("曹阳", "库房", [Role.INSPECTOR]),
}
# department: parent (None = top level)
DEPARTMENTS = {
    "销售中心": None, "销售一部": "销售中心", "销售二部": "销售中心", "技术部": None, "商务部": None,
    "市场部": None, "财务部": None, "法务部": None, "信息中心": None,
    "总经办": None, "采购部": None, "库房": None,
}


@transaction.atomic
def load() -> User:
    """Create the demo organisation; returns the admin. Does nothing twice."""
    admin = User.objects.filter(username="admin").first()
    if admin is not None:
        return admin
    admin = User.objects.create_user(username="admin", password=PASSWORD, display_name="系统管理员")
    admin.groups.set(Group.objects.filter(name=Role.ADMIN))  # the first admin cannot be made by a service
    admin = User.objects.get(pk=admin.pk)  # fresh roles
    departments: dict[str, Department] = {}
    for name, parent in DEPARTMENTS.items():
        departments[name] = services.department_create(actor=admin, name=name, parent=departments.get(parent))
    services.user_update(actor=admin, user=admin, department=departments["信息中心"])
    for username, (display_name, department, roles) in USERS.items():
        services.user_create(actor=admin, username=username, password=PASSWORD, display_name=display_name,
                             email=f"{username}@example.com", department=departments[department], roles=roles)
    return admin
