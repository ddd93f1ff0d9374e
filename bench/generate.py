"""Fills a database with realistic, internally consistent OpsMon data at a chosen scale.

    .venv/bin/python bench/generate.py --scale 1 --database-url postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/python bench/generate.py --scale 1 --database-url sqlite:////tmp/opsmon-bench/bench.sqlite3

At scale 1: 1,000,000 opportunities over three years, 500 users in 40 departments, 50,000 customers, and what
the sales process makes of the opportunities in the proportions of the demo data — team members, follow-ups,
projects with feasibility reviews, bids (routed and registered directly) with tender analyses, opening records,
bonds and summaries, contracts with their signed versions, and a timeline entry for every creation, transition
and follow-up. Statuses, dates, owners, departments, amounts and the bond refund clock agree with each other the
way the services would have left them; record numbers and their sequences too, so the app keeps working on it.

The database is created (PostgreSQL: `--drop` replaces it; SQLite: the file), migrated, given the demo
organisation and records (`opsmon demo`), then filled with bulk SQL: COPY on PostgreSQL, executemany in one
transaction on SQLite, with rows generated in Python from a fixed seed (same scale, same data). Not a test.
Files and attachments (signed copies, bid documents) and contract review rounds are not generated.
"""

import argparse
import json
import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DAY = 86400
LOCAL = 8 * 3600  # Asia/Shanghai, where dates are counted
YEARS = 3


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 1,000,000 opportunities")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--drop", action="store_true", help="drop and recreate the database first (PostgreSQL)")
    return parser.parse_args(argv)


def setup_django(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("OPSMON_VAR_DIR", tempfile.mkdtemp(prefix="opsmon-generate-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsmon.settings.development")
    os.environ.setdefault("DEBUG", "false")
    import django
    django.setup()


def create_database(url: str, drop: bool):
    """A fresh database: PostgreSQL's is created (dropped first with --drop), SQLite's file removed."""
    if url.startswith("sqlite"):
        path = Path(url.split("sqlite:///", 1)[1])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql
    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not drop:
            raise SystemExit(f"database {name} exists; pass --drop to replace it")
        if exists:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --- writing rows ---------------------------------------------------------------------------------------

class Loader:
    """Bulk inserts: COPY on PostgreSQL, executemany on SQLite; one transaction, foreign keys checked by
    construction (triggers off on PostgreSQL, the pragma off on SQLite, both restored at the end)."""

    def __init__(self):
        from django.db import connection
        connection.ensure_connection()
        self.vendor = connection.vendor
        self.raw = connection.connection
        self.counts: dict[str, int] = {}
        if self.vendor == "sqlite":
            self.raw.execute("PRAGMA foreign_keys=OFF")
            self.raw.execute("PRAGMA synchronous=OFF")
            self.raw.execute("BEGIN")
        else:
            self.raw.autocommit = False
            with self.raw.cursor() as cur:
                cur.execute("SET session_replication_role = replica")
                cur.execute("SET synchronous_commit = off")

    def drop_indexes(self, tables):
        """Secondary indexes are rebuilt once at the end: much faster than keeping them up to date row by row.
        Primary keys and unique constraints stay (they also check the generator)."""
        self.indexes = []
        if self.vendor == "sqlite":
            marks = ", ".join("?" * len(tables))
            where = f"type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({marks})"
            query = f"SELECT name, sql FROM sqlite_master WHERE {where}"  # noqa: S608
            rows = self.raw.execute(query, list(tables)).fetchall()
            for name, definition in rows:
                self.raw.execute(f'DROP INDEX "{name}"')
                self.indexes.append(definition)
            return
        with self.raw.cursor() as cur:
            cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexname NOT IN "
                        "(SELECT conname FROM pg_constraint) AND indexdef NOT LIKE 'CREATE UNIQUE%%'", [list(tables)])
            for name, definition in cur.fetchall():
                cur.execute(f'DROP INDEX "{name}"')
                self.indexes.append(definition)

    def build_indexes(self):
        if self.vendor == "sqlite":
            for definition in self.indexes:
                self.raw.execute(definition)
            return
        with self.raw.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '512MB'")
            for definition in self.indexes:
                cur.execute(definition)

    def ts(self, epoch: int) -> str:
        """A timestamp column's value (stored in UTC)."""
        text = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))
        return text if self.vendor == "sqlite" else text + "+00"

    def load(self, table: str, columns: tuple[str, ...], rows) -> int:
        columns, rows = with_defaults(table, columns, rows)
        n = 0
        if self.vendor == "sqlite":
            statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
            chunk = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= 20000:
                    self.raw.executemany(statement, chunk)
                    n += len(chunk)
                    chunk.clear()
            if chunk:
                self.raw.executemany(statement, chunk)
                n += len(chunk)
        else:
            with self.raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        self.counts[table] = self.counts.get(table, 0) + n
        return n

    def finish(self):
        self.build_indexes()
        if self.vendor == "sqlite":
            self.raw.execute("COMMIT")
            self.raw.execute("PRAGMA foreign_keys=ON")
            self.raw.execute("PRAGMA synchronous=NORMAL")
        else:
            with self.raw.cursor() as cur:
                cur.execute("SET session_replication_role = origin")
            self.raw.commit()
            self.raw.autocommit = True


def with_defaults(table: str, columns: tuple[str, ...], rows):
    """`columns` and `rows` plus every NOT NULL column the generator does not write (added by later issues, e.g. an
    opportunity's outcome) at its model default, so the bulk insert keeps up with the models."""
    from django.apps import apps
    from django.db import connection
    model = next((m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table), None)
    if model is None:
        return columns, rows
    extra = [f for f in model._meta.concrete_fields  # "" for a text field without a default, as Django gives
             if not f.null and f.column not in columns and f.get_default() is not None]
    if not extra:
        return columns, rows
    values = tuple(f.get_db_prep_save(f.get_default(), connection) for f in extra)
    return (*columns, *(f.column for f in extra)), (tuple(row) + values for row in rows)


def next_ids(tables) -> dict[str, int]:
    from django.db import connection
    out = {}
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
            out[table] = cur.fetchone()[0]
    return out


# --- vocabulary -----------------------------------------------------------------------------------------

REGIONS = ["110000", "310000", "440000", "330000", "320000", "350000", "510000", "420000", "370000", "610000",
           "500000", "430000", "410000", "130000", "210000"]
INDUSTRIES = ["energy", "government", "telecom", "finance", "transport", "manufacturing", "healthcare",
              "education", "water_environment", "petrochemical", "internet", "other"]
INDUSTRY_WEIGHTS = [18, 14, 9, 10, 10, 9, 7, 6, 7, 5, 3, 2]
CUSTOMER_TYPES = ["soe", "government", "institution", "private", "foreign"]
SOURCES = ["tender_notice", "referral", "existing_customer", "visit", "exhibition", "website", "partner"]
STAGES = [("discovery", 10), ("qualified", 25), ("proposal", 50), ("negotiation", 75), ("commit", 90)]
OPEN_STAGE_WEIGHTS = [30, 28, 22, 14, 6]
CLOSE_REASONS = ["lost", "abandoned", "duplicate", "invalid"]
FOLLOWUP_KINDS = ["visit", "call", "meeting", "email"]
TENDER_METHODS = ["open_tender", "invited_tender", "competitive_negotiation", "competitive_consultation",
                  "single_source", "inquiry"]
TENDER_WEIGHTS = [55, 10, 12, 10, 5, 8]
SCORING = ["comprehensive", "lowest_evaluated_price", "lowest_price", "cost_performance"]
BOND_METHODS = ["bank_transfer", "bank_guarantee", "insurance_guarantee", "guarantor_guarantee"]
CONTRACT_TYPES = ["product_sales", "system_integration", "software_development", "technical_service",
                  "operations"]
PLACES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "福州", "成都", "武汉", "济南", "西安", "重庆", "长沙",
          "郑州", "石家庄", "沈阳", "苏州", "宁波", "厦门", "青岛"]
ORGS = ["电力", "水务", "燃气", "地铁", "交通投资", "城市建设", "数据", "医疗", "教育", "商业银行", "证券", "钢铁",
        "化工", "港务", "机场", "通信", "环保", "石化", "制药", "汽车"]
SUFFIXES = ["集团有限公司", "股份有限公司", "有限公司", "管理局", "中心"]
SYSTEMS = ["运维监控平台", "综合监控系统", "动环监控改造", "数据中心监控", "智能巡检系统", "运行监测平台",
           "网络安全态势感知", "可视化指挥大屏", "设备健康管理", "能耗监测平台", "告警集中管理", "云资源监控"]
PHASES = ["建设项目", "一期", "二期", "升级改造", "扩容", "运维服务", "试点"]
NOTES = ["拜访客户，了解现有系统和痛点。", "电话沟通需求范围与预算。", "与客户技术部门交流方案。",
         "提交初步方案并答疑。", "商务洽谈，讨论付款方式。", "客户内部立项评审中。", "参加客户组织的需求调研会。",
         "邮件发送报价单。"]
NEXT_STEPS = ["提交初步方案", "安排技术交流", "准备报价", "跟进立项进展", "约见决策人", ""]
COMPETITORS = [f"{p}{w}{s}" for p, w, s in zip(
    ["华信", "远景", "中科", "东方", "神州", "长城", "国电", "金智", "南瑞", "亿阳", "天源", "博彦", "恒生", "卫士",
     "浪潮", "太极", "华宇", "易华", "久其", "银江", "千方", "数字", "启明", "海天", "信达", "中软", "东软", "紫光",
     "拓尔", "新华", "同方", "中电", "汉王", "佳都", "科大", "宝信", "四维", "航天", "北明", "万达"],
    ["智能", "信息", "软件", "科技", "数据", "网络", "电子", "系统"] * 5,
    ["科技有限公司", "股份有限公司", "技术有限公司", "信息技术有限公司"] * 10, strict=False)]
US = "本公司"
TERMS = "甲方按付款节点支付合同款；乙方按技术规范书交付并提供一年免费维保。"


# --- the organisation -----------------------------------------------------------------------------------

REGIONAL = {"华东大区": 7, "华南大区": 7, "华北大区": 7, "西部大区": 6}
EXTRA_STAFF = {"tech_lead": 19, "bid_assistant": 4, "reviewer": 8, "market_head": 1}
USERS_TOTAL = 500


def build_organisation(rng) -> dict:
    """The demo organisation plus four sales regions (27 sales departments), 500 users."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from opsmon.accounts import services
    from opsmon.accounts.demo import DEPARTMENTS, PASSWORD
    from opsmon.accounts.models import Department, User

    admin = User.objects.get(username="admin")
    departments = {d.name: d for d in Department.objects.all()}
    sales = [departments["销售一部"], departments["销售二部"]]
    numerals = "一二三四五六七八九"
    for region, count in REGIONAL.items():
        parent = departments.get(region) or services.department_create(actor=admin, name=region, parent=None)
        for i in range(count):
            name = f"{region[:2]}销售{numerals[i]}部"
            sales.append(departments.get(name) or services.department_create(actor=admin, name=name, parent=parent))
    # The demo's departments (12 since the procurement ones) and the regions with their sales departments.
    expected = len(DEPARTMENTS) + len(REGIONAL) + sum(REGIONAL.values())
    assert Department.objects.count() == expected, (Department.objects.count(), expected)

    password = make_password(PASSWORD)
    groups = {g.name: g for g in Group.objects.all()}
    existing = User.objects.count()
    new_users, memberships = [], []
    support = {"tech_lead": departments["技术部"], "bid_assistant": departments["商务部"],
               "reviewer": departments["财务部"], "market_head": departments["市场部"]}
    plan = [(f"head{i + 3}", "dept_head", d) for i, d in enumerate(sales[2:])]
    for role, count in EXTRA_STAFF.items():
        plan += [(f"{role.split('_')[0]}{i + 2}", role, support[role]) for i in range(count)]
    reps_needed = USERS_TOTAL - existing - len(plan)
    plan += [(f"rep{i + 3}", "sales_rep", sales[2 + i % (len(sales) - 2)]) for i in range(reps_needed)]
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
    for username, _role, department in plan:
        display = rng.choice(surnames) + rng.choice(given) + rng.choice(given)
        new_users.append(User(username=username, password=password, display_name=display, department=department,
                              email=f"{username}@example.com", is_active=True))
    User.objects.bulk_create(new_users, batch_size=500)
    by_name = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in plan])}
    for username, role, _ in plan:
        memberships.append(User.groups.through(user_id=by_name[username].pk, group_id=groups[role].pk))
    User.groups.through.objects.bulk_create(memberships, batch_size=1000)
    assert User.objects.count() == USERS_TOTAL, User.objects.count()

    def with_role(role):
        return list(User.objects.filter(groups__name=role).select_related("department").order_by("pk"))

    reps = [u for u in with_role("sales_rep") if u.department_id]
    heads = {u.department_id: u for u in with_role("dept_head")}
    return {"reps": [(u.pk, u.department_id) for u in reps],
            "heads": {dept: u.pk for dept, u in heads.items()},
            "leads": [u.pk for u in with_role("tech_lead")],
            "assistants": [u.pk for u in with_role("bid_assistant")],
            "departments": len(Department.objects.all()), "users": User.objects.count()}


# --- the records ----------------------------------------------------------------------------------------

class Generator:
    """Writes every table in dependency order; ids are allocated here, so links need no lookups."""

    def __init__(self, *, scale: float, seed: int, org: dict, loader: Loader):
        from django.contrib.contenttypes.models import ContentType

        from opsmon.bids.models import Bid, Bond
        from opsmon.contracts.models import Contract
        from opsmon.opportunities.models import Opportunity
        from opsmon.projects.models import Project

        self.rng = random.Random(seed)  # noqa: S311 - made-up data, reproducible by seed
        self.scale = scale
        self.org = org
        self.db = loader
        self.now = int(time.time())
        self.today = (self.now + LOCAL) // DAY
        self.ids = next_ids(TABLES)
        self.ct = {name: ContentType.objects.get_for_model(model).pk for name, model in
                   (("opportunity", Opportunity), ("project", Project), ("bid", Bid), ("bond", Bond),
                    ("contract", Contract))}
        self.numbers: dict[tuple[str, int], int] = {}
        self._load_sequences()
        self.timeline: list[tuple] = []
        self.day_text: dict[int, str] = {}

    def _load_sequences(self):
        from opsmon.core.models import NumberSequence
        for kind, year, last in NumberSequence.objects.values_list("kind", "year", "last"):
            self.numbers[(kind, year)] = last

    # small helpers
    def take(self, table: str, count: int = 1) -> int:
        first = self.ids[table]
        self.ids[table] += count
        return first

    def number(self, kind: str, epoch: int) -> str:
        year = time.gmtime(epoch + LOCAL).tm_year
        last = self.numbers.get((kind, year), 0) + 1
        self.numbers[(kind, year)] = last
        return f"{kind}-{year}-{last:06d}"

    def day(self, n: int) -> str:
        text = self.day_text.get(n)
        if text is None:
            text = self.day_text[n] = time.strftime("%Y-%m-%d", time.gmtime(n * DAY))
        return text

    def local_day(self, epoch: int) -> int:
        return (epoch + LOCAL) // DAY

    def at_day(self, day: int, hour_from=9, hour_to=18) -> int:
        """An epoch time during office hours (local) of `day`."""
        return day * DAY - LOCAL + self.rng.randint(hour_from * 3600, hour_to * 3600)

    @staticmethod
    def money(cents: int) -> str:
        return f"{cents // 100}.{cents % 100:02d}"

    def event(self, kind: str, object_id: int, epoch: int, actor: int | None, action: str, from_status="",
              to_status="", comment=""):
        self.timeline.append((self.take("core_timelineentry"), self.ct[kind], object_id, self.db.ts(epoch), actor,
                              action, from_status, to_status, comment, "{}"))
        if len(self.timeline) >= 200000:
            self.flush_timeline()

    def flush_timeline(self):
        self.db.load("core_timelineentry", ("id", "content_type_id", "object_id", "at", "actor_id", "action",
                                            "from_status", "to_status", "comment", "changes"), self.timeline)
        self.timeline = []

    # --- customers ---
    def customers(self):
        from opsmon.customers.names import name_key

        rng, reps = self.rng, self.org["reps"]
        count = max(50, int(50000 * self.scale))
        first = self.take("customers_customer", count)
        self.customer_rows = []  # (id, industry, region)
        rows, contacts = [], []
        created = self.db.ts(self.now - YEARS * 365 * DAY)
        for i in range(count):
            pk = first + i
            industry = rng.choices(INDUSTRIES, INDUSTRY_WEIGHTS)[0]
            region = rng.choice(REGIONS)
            name = f"{rng.choice(PLACES)}{rng.choice(ORGS)}{SUFFIXES[i % len(SUFFIXES)]}（{i + 1:06d}）"
            owner, department = rng.choice(reps)
            key = name_key(name)
            rows.append((pk, name, key, "", rng.choice(CUSTOMER_TYPES), industry, region, "", owner, department, 1,
                         created, created))
            contacts.append((self.take("customers_contact"), pk, rng.choice("王李张刘陈") + "经理", "信息中心主任",
                             f"0{rng.randint(10, 999)}-{rng.randint(60000000, 89999999)}", ""))
            self.customer_rows.append((pk, industry, region))
        self.db.load("customers_customer", ("id", "name", "name_key", "credit_code", "customer_type", "industry",
                                            "region", "address", "owner_id", "department_id", "version",
                                            "created_at", "updated_at"), rows)
        self.db.load("customers_contact", ("id", "customer_id", "name", "title", "phone", "email"), contacts)

    # --- opportunities, their teams and follow-ups ---
    def opportunities(self):
        rng, reps, heads = self.rng, self.org["reps"], self.org["heads"]
        count = int(1_000_000 * self.scale)
        span = YEARS * 365 * DAY
        by_department: dict[int, list[int]] = {}
        for pk, dept in reps:
            by_department.setdefault(dept, []).append(pk)
        self.converted = []   # (opp id, created epoch, owner, dept, customer, cents, currency, title, members)
        self.direct_bid = []  # open or converted opportunities the bid assistant registers a bid on
        opp_cols = ("id", "number", "title", "customer_id", "source", "industry", "region", "stage", "probability",
                    "estimated_amount", "currency", "expected_close_date", "description", "status", "owner_id",
                    "department_id", "close_reason", "next_followup_on", "version", "created_at", "updated_at")
        members, followups, batch = [], [], []
        first = self.take("opportunities_opportunity", count)
        # creation times, oldest first, so numbers rise with time as the services would give them; more recent
        # years have more opportunities (the business grows)
        created_all = sorted(self.now - int(span * (rng.random() ** 1.25)) for _ in range(count))

        def flush():
            self.db.load("opportunities_opportunity", opp_cols, batch)
            self.db.load("opportunities_followup", FOLLOWUP_COLS, followups)
            batch.clear()
            followups.clear()

        for i, created in enumerate(created_all):
            pk = first + i
            owner, dept = rng.choice(reps)
            customer, industry, region = rng.choice(self.customer_rows)
            age = (self.now - created) // DAY
            r = rng.random()
            if age < 180:
                status = ("tracking" if r < .55 else "conversion_requested" if r < .65 else
                          "converted" if r < .80 else "closed")
            else:
                status = ("tracking" if r < .08 else "conversion_requested" if r < .10 else
                          "converted" if r < .35 else "closed")
            if status in ("tracking", "conversion_requested"):
                stage, probability = STAGES[rng.choices(range(5), OPEN_STAGE_WEIGHTS)[0]]
            elif status == "converted":
                stage, probability = STAGES[rng.choice((3, 4))]
            else:
                stage, probability = STAGES[rng.choices(range(5), (40, 30, 18, 9, 3))[0]]
            cents = int(min(max(rng.lognormvariate(13.3, 0.9), 20000), 60_000_000)) // 100 * 10000
            if rng.random() < 0.1:
                cents += rng.randint(1, 99)  # some estimates carry cents
            currency = "USD" if rng.random() < 0.02 else "CNY"
            created_day = self.local_day(created)
            if status in ("tracking", "conversion_requested"):
                close = max(created_day, self.today + rng.randint(-30, 330))
            else:
                close = created_day + rng.randint(30, 240)
            title = f"{PLACES[customer % len(PLACES)]}{rng.choice(SYSTEMS)}{rng.choice(PHASES)}"
            team = []
            if rng.random() < 0.2 and len(by_department[dept]) > 1:
                mate = rng.choice(by_department[dept])
                if mate != owner:
                    team.append(mate)
                    members.append((self.take("opportunities_opportunity_members"), pk, mate))
            # follow-ups between creation and today (or the decision)
            end_day = min(self.today, close if status not in ("tracking", "conversion_requested") else self.today)
            next_followup = None
            n_follow = rng.choices((0, 1, 2, 3, 4), (10, 25, 30, 20, 15))[0]
            days = sorted(rng.randint(created_day, max(created_day, end_day)) for _ in range(n_follow))
            for k, happened in enumerate(days):
                author = owner if not team or rng.random() < .8 else team[0]
                next_date = happened + rng.randint(3, 30) if rng.random() < .7 else None
                fid = self.take("opportunities_followup")
                at = min(self.at_day(happened), self.now)
                followups.append((fid, pk, self.day(happened), rng.choice(FOLLOWUP_KINDS), rng.choice(NOTES),
                                  rng.choice(NEXT_STEPS), self.day(next_date) if next_date else None, author,
                                  self.db.ts(at)))
                self.event("opportunity", pk, at, author, "opportunity.followed_up", comment=followups[-1][4])
                if k == len(days) - 1:
                    next_followup = next_date
            decided = min(created + rng.randint(5, 90) * DAY, self.now)
            self.event("opportunity", pk, created, owner, "opportunity.created", to_status="tracking")
            head = heads.get(dept)
            if status in ("conversion_requested", "converted"):
                self.event("opportunity", pk, decided - 3600, owner, "opportunity.request_conversion",
                           "tracking", "conversion_requested", "申请转立项。")
            if status == "converted":
                self.event("opportunity", pk, decided, head, "opportunity.convert", "conversion_requested",
                           "converted")
                self.converted.append((pk, decided, owner, dept, customer, cents, currency, title, team))
            elif status == "closed":
                self.event("opportunity", pk, decided, head, "opportunity.close", "tracking", "closed")
            if status in ("tracking", "converted") and rng.random() < 0.04:
                self.direct_bid.append((pk, max(created, decided) + DAY, owner, dept, customer, cents, currency,
                                        title, team))
            updated = decided if status in ("converted", "closed") else created
            batch.append((pk, self.number("SJ", created), title, customer, rng.choice(SOURCES), industry, region, stage,
                   probability, self.money(cents), currency, self.day(close), f"{title}。", status, owner, dept,
                   rng.choice(CLOSE_REASONS) if status == "closed" else "",
                   self.day(next_followup) if next_followup and status != "closed" else None, 1,
                   self.db.ts(created), self.db.ts(max(updated, created))))
            if len(batch) >= 50000:
                flush()
        flush()
        self.db.load("opportunities_opportunity_members", ("id", "opportunity_id", "user_id"), members)

    # --- projects and feasibility reviews ---
    def projects(self):
        rng, heads, leads = self.rng, self.org["heads"], self.org["leads"]
        rows, members, reviews = [], [], []
        self.routed = []    # projects routed to bidding: (opp tuple, project id, routed epoch)
        self.to_review = []  # projects routed to contract review
        for opp in self.converted:
            opp_id, created, owner, dept, customer, cents, currency, title, team = opp
            pk = self.take("projects_project")
            age = (self.now - created) // DAY
            r = rng.random()
            if age < 60:
                status = ("awaiting_lead" if r < .25 else "feasibility" if r < .5 else "pending_approval" if r < .65
                          else "approved" if r < .75 else "bidding" if r < .9 else "implementation" if r < .95
                          else "contract_review")
            else:
                status = ("rejected" if r < .06 else "cancelled" if r < .12 else "implementation" if r < .32
                          else "bidding" if r < .82 else "contract_review" if r < .97 else "approved")
            head = heads.get(dept)
            lead = rng.choice(leads) if status not in ("awaiting_lead",) and not (
                status == "cancelled" and r < .08) else None
            routed_to = status if status in ("bidding", "implementation", "contract_review") else ""
            t = created
            self.event("project", pk, t, head, "project.created", to_status="awaiting_lead")
            if lead:
                t = min(t + rng.randint(1, 5) * DAY, self.now)
                self.event("project", pk, t, head, "project.assign_lead", "awaiting_lead", "feasibility")
                submitted = status not in ("feasibility", "cancelled")
                if submitted or rng.random() < .5:
                    t = min(t + rng.randint(3, 15) * DAY, self.now)
                    reviews.append((self.take("projects_feasibilityreview"), pk, lead, "技术方案可行，接口标准清晰。",
                                    "需 3 名实施工程师驻场约 2 个月。", "客户机房改造进度不确定。",
                                    f"{rng.randint(20, 400)}.0", rng.choice(("feasible", "feasible", "conditional"))
                                    if status != "rejected" else "infeasible",
                                    "submitted" if submitted else "draft", self.db.ts(t) if submitted else None,
                                    self.db.ts(t)))
                if submitted:
                    self.event("project", pk, t, lead, "project.submit_feasibility", "feasibility",
                               "pending_approval")
                if status in ("approved", "bidding", "implementation", "contract_review", "rejected"):
                    t = min(t + rng.randint(1, 5) * DAY, self.now)
                    self.event("project", pk, t, head, "project.reject" if status == "rejected" else "project.approve",
                               "pending_approval", "rejected" if status == "rejected" else "approved")
                if routed_to:
                    t = min(t + rng.randint(1, 5) * DAY, self.now)
                    self.event("project", pk, t, owner, f"project.route_{routed_to}", "approved", routed_to)
            if status == "cancelled":
                t = min(t + rng.randint(5, 30) * DAY, self.now)
                self.event("project", pk, t, owner, "project.cancel", "", "cancelled", "客户暂停该项目预算。")
            for mate in team:
                members.append((self.take("projects_project_members"), pk, mate))
            rows.append((pk, self.number("LX", created), title, opp_id, customer, self.money(cents), currency, status,
                         owner, dept, lead, routed_to, "客户暂停该项目预算。" if status == "cancelled" else "", 1,
                         self.db.ts(created), self.db.ts(t)))
            if status == "bidding":
                self.routed.append((opp, pk, t))
                if rng.random() < .1:  # a second lot of the same project
                    self.routed.append((opp, pk, min(t + rng.randint(10, 60) * DAY, self.now)))
            elif status == "contract_review":
                self.to_review.append((opp, pk, t))
        self.db.load("projects_project", ("id", "number", "title", "opportunity_id", "customer_id",
                                          "estimated_amount", "currency", "status", "owner_id", "department_id",
                                          "tech_lead_id", "routed_to", "cancel_reason", "version", "created_at",
                                          "updated_at"), rows)
        self.db.load("projects_project_members", ("id", "project_id", "user_id"), members)
        self.db.load("projects_feasibilityreview", ("id", "project_id", "author_id", "technical_assessment",
                                                    "implementation_assessment", "risks", "estimated_effort_days",
                                                    "conclusion", "status", "submitted_at", "updated_at"), reviews)

    # --- bids, openings, bonds, summaries ---
    def bids(self):
        rng, heads, assistants = self.rng, self.org["heads"], self.org["assistants"]
        bids, openings, entries, bonds, summaries = [], [], [], [], []
        self.won = []  # (opp tuple, project id, bid id, our price cents, result day)
        work = [(opp, project, t, None) for opp, project, t in self.routed]
        work += [(opp, None, min(opp[1], self.now), rng.choice(assistants)) for opp in self.direct_bid]
        for opp, project, registered, assistant in work:
            opp_id, _, owner, dept, customer, cents, currency, title, team = opp
            pk = self.take("bids_bid")
            head = heads.get(dept)
            estimated = cents * rng.randint(90, 120) // 100 // 100 * 100
            deadline = self.local_day(registered) + rng.randint(15, 45)  # at 09:30, 10:00 or 14:30 local time
            deadline = deadline * DAY - LOCAL + rng.choice((34200, 36000, 52200))
            opening = deadline + rng.choice((0, 0, DAY, 2 * DAY))
            method = rng.choices(TENDER_METHODS, TENDER_WEIGHTS)[0]
            if opening > self.now:
                status = rng.choice(("registered", "preparing", "preparing", "submitted")) \
                    if deadline > self.now else "submitted"
            else:
                r = rng.random()
                recent = self.now - opening < 10 * DAY
                status = ("opened" if recent and r < .3 else "won" if r < .38 else "lost" if r < .88 else "abandoned")
            abandoned = status == "abandoned"
            result_day = None
            if status in ("won", "lost"):
                result_day = min(self.local_day(opening) + rng.randint(1, 20), self.today)
            elif abandoned:
                result_day = min(self.local_day(deadline) - rng.randint(0, 10), self.today)
            closed_at = None
            if status in ("won", "lost", "abandoned") and self.today - result_day > 60 and rng.random() < .8:
                closed_at = self.at_day(result_day + rng.randint(10, 50))
                closed_at = min(closed_at, self.now)
            actor = assistant or owner
            self.event("bid", pk, registered, actor, "bid.registered", to_status="registered")
            if status != "registered" and not abandoned:
                self.event("bid", pk, registered + DAY, owner, "bid.start_preparation", "registered", "preparing")
            if status in ("submitted", "opened", "won", "lost"):
                self.event("bid", pk, min(deadline - DAY, self.now), owner, "bid.submit", "preparing", "submitted")
            if abandoned:
                self.event("bid", pk, self.at_day(result_day), owner, "bid.abandon", "preparing", "abandoned",
                           "招标人取消采购（流标）。")
            our_price = None
            if status in ("opened", "won", "lost"):
                oid = self.take("bids_bidopening")
                rivals = rng.sample(COMPETITORS, rng.randint(2, 5))
                prices = sorted(estimated * rng.randint(85, 105) // 100 for _ in range(len(rivals) + 1))
                us_rank = 1 if status == "won" else rng.randint(2, len(prices)) if status == "lost" \
                    else rng.randint(1, len(prices))
                names = rivals[:]
                names.insert(us_rank - 1, US)
                winner = names[0]
                for rank, (name, price) in enumerate(zip(names, prices, strict=True), start=1):
                    entries.append((self.take("bids_openingentry"), oid, name, self.money(price * 100),
                                    f"{rng.randint(700, 980) / 10:.2f}", rank, name == US))
                    if name == US:
                        our_price = price * 100
                openings.append((oid, pk, self.db.ts(opening), winner, owner, self.db.ts(opening + 3600)))
                self.event("bid", pk, opening + 3600, owner, "bid.record_opening", "submitted", "opened", winner)
            if status in ("won", "lost"):
                self.event("bid", pk, self.at_day(result_day), head if status == "won" else owner,
                           f"bid.mark_{status}", "opened", status)
            if status == "won":
                self.won.append((opp, project, pk, our_price, result_day))
            if closed_at:
                summaries.append((self.take("bids_bidsummary"), pk, f"{rng.randint(3, 60)}.0",
                                  self.money(rng.randint(2000, 90000) * 100), "", "报价与技术方案评审。",
                                  "加强成本测算，提前了解竞争对手报价策略。", owner, self.db.ts(closed_at)))
                self.event("bid", pk, closed_at, owner, "bid.closed", status, status)
            # the bid bond (Art. 26: ≤ 2 % of the estimated price)
            if status != "registered" and rng.random() < .8:
                bonds.extend(self._bid_bond(pk, status, registered, estimated, result_day, currency))
            lot = rng.choice(("", "（一期）", "（二期）", "（运维）"))
            bids.append([pk, self.number("TB", registered), title + lot,
                         opp_id, project, status, owner, dept, "招标人" + str(customer), "某招标代理有限公司",
                         f"ZB-{pk:08d}", method, self.money(estimated * 100), self.money(estimated * 105),
                         currency, self.db.ts(deadline), self.db.ts(opening), "具有独立法人资格；近三年同类业绩。",
                         rng.choice(SCORING), "", "bid", "", "招标人取消采购（流标）。" if abandoned else "",
                         self.day(result_day) if result_day else None, None,
                         self.db.ts(closed_at) if closed_at else None, 1, self.db.ts(registered),
                         self.db.ts(min(self.now, closed_at or (self.at_day(result_day) if result_day
                                                                else registered + DAY)))])
        self.bid_rows = {row[0]: row for row in bids}
        self.pending_bonds = bonds
        self.pending = (openings, entries, summaries)

    def _bid_bond(self, bid_id, status, registered, estimated, result_day, currency):
        rng = self.rng
        amount = max(1000, estimated * 15 // 1000 // 100 * 100) * 100
        paid = registered + rng.randint(2, 10) * DAY
        pk = self.take("bids_bond")
        method = rng.choice(BOND_METHODS)
        row = [pk, bid_id, "bid", self.money(amount), currency, method, None, "paid", self.day(self.local_day(paid)),
               f"HX{pk:08d}", None, None, None, "", None, 2, self.db.ts(registered), self.db.ts(paid)]
        self.event("bond", pk, registered, None, "bond.planned", to_status="planned")
        if status == "preparing" and rng.random() < .5:
            row[7], row[8], row[9] = "planned", None, ""
            return [row]
        self.event("bond", pk, paid, None, "bond.pay", "planned", "paid")
        if status in ("lost", "abandoned"):
            r = rng.random()
            if r < .85:
                back = min(result_day + rng.randint(2, 15), self.today)
                row[7], row[10], row[11], row[12] = ("refunded", self.day(back), self.money(amount),
                                                     self.money(amount * 35 // 10000))
                self.event("bond", pk, self.at_day(back), None, "bond.refund", "paid", "refunded")
            elif r < .88:
                row[7], row[13] = "forfeited", "中标后放弃签约，保证金被没收。"
                self.event("bond", pk, self.at_day(result_day + 3), None, "bond.forfeit", "paid", "forfeited")
            # else still paid: its refund is due 5 days after the result (overdue when later)
        # won bids: decided with the contract (contracts()), where the refund clock starts
        return [row]

    # --- contracts, and what signing means to the bid and its bonds ---
    def contracts(self):
        rng = self.rng
        rows, versions, perf_bonds = [], [], []
        bonds_by_bid = {}
        for bond in self.pending_bonds:
            bonds_by_bid.setdefault(bond[1], []).append(bond)
        sources = [(opp, project, bid, price, result_day) for opp, project, bid, price, result_day in self.won
                   if rng.random() < .88]
        sources += [(opp, project, None, opp[5], self.local_day(t) + rng.randint(3, 20))
                    for opp, project, t in self.to_review]
        for opp, project, bid, cents, start_day in sources:
            opp_id, _, owner, dept, customer, _, currency, title, _ = opp
            pk = self.take("contracts_contract")
            drafted_day = min(start_day + rng.randint(2, 15), self.today)
            drafted = min(self.at_day(drafted_day), self.now)
            age = self.today - drafted_day
            r = rng.random()
            if age < 20:
                status = "drafting" if r < .4 else "in_review" if r < .75 else "approved" if r < .85 else "signed"
            else:
                status = "signed" if r < .62 else "archived" if r < .88 else "terminated" if r < .93 \
                    else "drafting" if r < .97 else "in_review"
            signed_day = None
            if status in ("signed", "archived", "terminated"):
                signed_day = min(drafted_day + rng.randint(5, 25), self.today)
            start = signed_day or drafted_day + 10
            end = start + rng.choice((180, 365, 365, 730, 1095))
            if status == "signed" and end < self.today:
                status = "archived"
            self.event("contract", pk, drafted, owner, "contract.drafted", to_status="drafting")
            if status != "drafting":
                self.event("contract", pk, drafted + DAY, owner, "contract.submit_review", "drafting", "in_review")
            if signed_day:
                self.event("contract", pk, self.at_day(signed_day), owner, "contract.signed", "approved", "signed")
                versions.append((self.take("contracts_contractversion"), pk, 1, json.dumps(
                    {"amount": self.money(cents), "currency": currency, "start_on": self.day(start),
                     "end_on": self.day(end), "tax_rate": "13.00", "terms": "按合同约定交付。", "milestones": []},
                    ensure_ascii=False), None, self.db.ts(self.at_day(signed_day))))
            rows.append((pk, self.number("HT", drafted), title, customer, opp_id, project, bid,
                         rng.choice(CONTRACT_TYPES), self.money(cents), currency, "13.00", self.day(start),
                         self.day(end), TERMS, status, owner, dept, self.day(signed_day) if signed_day else None,
                         self.db.ts(min(self.at_day(end), self.now)) if status == "archived" else None,
                         self.db.ts(min(self.at_day(signed_day + 90), self.now)) if status == "terminated" else None,
                         "客户项目取消，双方协商一致解除合同。" if status == "terminated" else "", 1, 1,
                         self.db.ts(drafted), self.db.ts(self.at_day(signed_day) if signed_day else drafted)))
            if bid is not None and signed_day:
                self.bid_rows[bid][24] = self.day(signed_day)  # contract_signed_on: the Art. 57 clock starts
                perf_bonds.extend(self._settle_won_bonds(bid, bonds_by_bid.get(bid, []), signed_day, cents,
                                                         currency))
        self.db.load("bids_bid", BID_COLS, (tuple(r) for r in self.bid_rows.values()))
        openings, entries, summaries = self.pending
        self.db.load("bids_bidopening", ("id", "bid_id", "opened_at", "winner", "recorded_by_id", "recorded_at"),
                     openings)
        self.db.load("bids_openingentry", ("id", "opening_id", "bidder", "price", "score", "rank", "is_us"), entries)
        self.db.load("bids_bidsummary", ("id", "bid_id", "person_days", "cost", "bond_note", "outcome_reason",
                                         "lessons", "author_id", "updated_at"), summaries)
        self.db.load("bids_bond", BOND_COLS, (tuple(b) for b in [*perf_bonds, *self.pending_bonds]))
        self.db.load("contracts_contract", CONTRACT_COLS, rows)
        self.db.load("contracts_contractversion", ("id", "contract_id", "number", "terms", "amendment_id",
                                                   "created_at"), versions)

    def _settle_won_bonds(self, bid, bonds, signed_day, cents, currency) -> list:
        """A won bid's bid bond after signing: refunded (mostly), converted into the performance bond, or
        still out (overdue after 5 days); a performance bond of 5 % due on the signing date."""
        rng = self.rng
        out = []
        perf = None
        if rng.random() < .6:
            pk = self.take("bids_bond")
            amount = max(100, cents * 5 // 100 // 10000 * 10000)
            r = rng.random()
            status = "paid" if r < .55 else "refunded" if r < .95 else "planned"
            perf = [pk, bid, "performance", self.money(amount), currency, rng.choice(BOND_METHODS),
                    self.day(signed_day + (365 if status != "planned" else 0)), status,
                    self.day(signed_day) if status != "planned" else None, f"LY{pk:08d}" if status != "planned" else "",
                    None, None, None, "", None, 1, self.db.ts(self.at_day(signed_day)),
                    self.db.ts(self.at_day(signed_day))]
            if status == "refunded":
                back = min(signed_day + 365 + rng.randint(0, 20), self.today)
                if back < signed_day + 365:
                    perf[7], perf[10:13] = "paid", [None, None, None]
                else:
                    perf[10], perf[11], perf[12] = self.day(back), self.money(amount), "0.00"
            self.event("bond", pk, self.at_day(signed_day), None, "bond.planned", to_status="planned")
            out.append(perf)
        for bond in bonds:
            if bond[7] != "paid":
                continue
            r = rng.random()
            if perf is not None and r < .25 and perf[7] == "planned":
                bond[7], bond[14] = "converted_to_performance", perf[0]
                perf[7], perf[8] = "paid", self.day(signed_day)
                self.event("bond", bond[0], self.at_day(signed_day), None, "bond.convert_to_performance", "paid",
                           "converted_to_performance")
            elif r < .9:
                back = min(signed_day + rng.randint(2, 12), self.today)
                bond[7], bond[10], bond[11], bond[12] = ("refunded", self.day(back), bond[3],
                                                         self.money(int(float(bond[3]) * 100) * 35 // 10000))
                self.event("bond", bond[0], self.at_day(back), None, "bond.refund", "paid", "refunded")
        return out

    def sequences(self):
        from opsmon.core.models import NumberSequence
        for (kind, year), last in self.numbers.items():
            NumberSequence.objects.update_or_create(kind=kind, year=year, defaults={"last": last})


TABLES = ("customers_customer", "customers_contact", "opportunities_opportunity", "opportunities_opportunity_members",
          "opportunities_followup", "projects_project", "projects_project_members", "projects_feasibilityreview",
          "bids_bid", "bids_bidopening", "bids_openingentry", "bids_bond", "bids_bidsummary", "contracts_contract",
          "contracts_contractversion", "core_timelineentry")
FOLLOWUP_COLS = ("id", "opportunity_id", "happened_on", "kind", "note", "next_step", "next_date", "author_id",
                 "created_at")
BID_COLS = ("id", "number", "title", "opportunity_id", "project_id", "status", "owner_id", "department_id", "tenderer",
            "agency", "tender_no", "tender_method", "estimated_price", "ceiling_price", "currency",
            "submission_deadline", "opening_at", "qualification_requirements", "scoring_method", "risks",
            "decision", "decision_reason", "abandon_reason", "result_known_on", "contract_signed_on", "closed_at",
            "version", "created_at", "updated_at")
BOND_COLS = ("id", "bid_id", "kind", "amount", "currency", "method", "due_on", "status", "paid_on", "reference",
             "refunded_on", "refunded_principal", "refund_interest", "forfeit_reason", "converted_to_id", "version",
             "created_at", "updated_at")
CONTRACT_COLS = ("id", "number", "title", "customer_id", "opportunity_id", "project_id", "bid_id", "contract_type",
                 "amount", "currency", "tax_rate", "start_on", "end_on", "terms", "status", "owner_id",
                 "department_id", "signed_on", "archived_at", "terminated_at", "terminate_reason", "terms_version",
                 "version", "created_at", "updated_at")


def check_columns():
    """Every NOT NULL column of the tables written here is given a value (Django sets no database defaults)."""
    from django.apps import apps
    written = {"bids.Bid": BID_COLS, "bids.Bond": BOND_COLS, "contracts.Contract": CONTRACT_COLS,
               "opportunities.FollowUp": FOLLOWUP_COLS}
    for label, cols in written.items():
        model = apps.get_model(label)
        missing = [f.column for f in model._meta.concrete_fields if not f.null and f.column not in cols]
        assert not missing, (label, missing)


def finish_database(vendor: str):
    """Sequences past the loaded ids (PostgreSQL), fresh planner statistics and visibility maps.

    PostgreSQL's planner is also told that random reads cost about what sequential ones do (random_page_cost
    1.1 instead of 4, for this database only): true when the data sits on SSD or in memory, as here, and what
    makes it use the indexes of the dashboards' scopes; bench/RESULTS.md says so beside the figures."""
    from django.db import connection
    with connection.cursor() as cur:
        if vendor == "postgresql":
            for table in TABLES:
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            cur.execute(f"ALTER DATABASE {name} SET random_page_cost = 1.1")
            cur.execute("VACUUM ANALYZE")
        else:
            cur.execute("ANALYZE")


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    create_database(args.database_url, args.drop)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    from opsmon.demo import LOADERS

    check_columns()
    call_command("migrate", verbosity=0)
    for loader in LOADERS:
        loader()
    rng = random.Random(args.seed)  # noqa: S311
    org = build_organisation(rng)
    print(f"{connection.vendor}: migrated, demo loaded, {org['departments']} departments, {org['users']} users "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    loader = Loader()
    loader.drop_indexes(TABLES)
    gen = Generator(scale=args.scale, seed=args.seed, org=org, loader=loader)
    for step in ("customers", "opportunities", "projects", "bids", "contracts"):
        t = time.perf_counter()
        getattr(gen, step)()
        print(f"  {step}: {time.perf_counter() - t:.0f} s", flush=True)
    gen.flush_timeline()
    t = time.perf_counter()
    loader.finish()
    print(f"  indexes: {time.perf_counter() - t:.0f} s", flush=True)
    gen.sequences()
    t = time.perf_counter()
    from opsmon.summaries.verify import rebuild

    daily, monthly = rebuild()  # the rows were loaded behind the services: the dashboards' summaries from them
    print(f"  summaries: {daily:,} daily and {monthly:,} monthly rows, {time.perf_counter() - t:.0f} s", flush=True)
    t = time.perf_counter()
    finish_database(connection.vendor)
    print(f"  analyze: {time.perf_counter() - t:.0f} s", flush=True)
    width = max(len(k) for k in loader.counts)
    for table, n in sorted(loader.counts.items()):
        print(f"  {table:<{width}} {n:>10,}")
    print(f"done in {time.perf_counter() - started:.0f} s ({math.fsum(loader.counts.values()):,.0f} rows)")


if __name__ == "__main__":
    main()
