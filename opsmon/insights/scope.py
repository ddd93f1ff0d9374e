"""The records each figure may count: exactly what the module selectors let the viewer see, never more.

The selectors (visible_opportunities, visible_projects, visible_bids, visible_contracts) write the visibility rule
as a UNION of index lookups (accounts.visibility), which suits a list: the page and its count take the few
thousand ids and stop. A figure instead aggregates over a period, and there the rule works best written on the
record's own columns: the few ids that come through another table (the opportunities a user is on the team of,
the projects he leads, the contracts whose review he decided) are looked up first, once per request, and the
filter becomes `owner = me OR department IN (mine and below) OR id IN (those few)`, which PostgreSQL and SQLite
combine with the figure's own index (period, covering columns). When the looked-up lists grow long (more than
LIMIT ids, as a sales rep's own opportunities do), the selectors' UNION takes their place. tests/test_scope.py
checks, for every demo role, that each scope gives exactly the records of the rule as DOMAIN.md states it."""

from django.db.models import Q

from opsmon.accounts.models import Department
from opsmon.accounts.visibility import head_departments, is_active_user
from opsmon.bids.models import Bid
from opsmon.bids.selectors import sees_all_bids, visible_bids
from opsmon.contracts.models import Contract, StepDecider
from opsmon.contracts.selectors import visible_contracts
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.selectors import visible_opportunity_ids
from opsmon.projects.models import Project
from opsmon.projects.selectors import visible_projects

LIMIT = 500  # ids written into a query: a few, or binding them costs more than the subquery they would replace
NOTHING = Q(pk__in=[])


def _ids(queryset, field: str = "pk") -> list[int] | None:
    """The ids, or None when there are more than LIMIT of them."""
    found = list(queryset.order_by().values_list(field, flat=True).distinct()[: LIMIT + 1])
    return None if len(found) > LIMIT else found


class Lookups:
    """What a user's visibility needs from other tables, looked up once per user object (one request)."""

    def __init__(self, actor):
        self.actor = actor
        self._cache: dict = {}

    def _get(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    @property
    def departments(self) -> list[int] | None:
        """A head's department and those under it (visible_q's department rule); None for anyone else. Kept on
        the user by head_departments itself."""
        return head_departments(self.actor)

    @property
    def team_opportunities(self):
        return self._get("team", lambda: _ids(Opportunity.members.through.objects.filter(user=self.actor.pk),
                                               "opportunity_id"))

    @property
    def led_opportunities(self):
        return self._get("led", lambda: _ids(Project.objects.filter(tech_lead=self.actor.pk), "opportunity_id"))

    @property
    def own_opportunities(self):
        return self._get("own", lambda: _ids(Opportunity.objects.filter(owner=self.actor.pk)))

    @property
    def stray_bids(self) -> list[int]:
        """Bids of opportunities in the head's departments filed under another department: none when the
        services made them (a bid takes its opportunity's department); looked up so the rule stays exact.
        No LIMIT here: with one, PostgreSQL walks the join row by row hoping to stop early, and finds nothing."""
        def compute():
            if self.departments is None:
                return []
            return list(Bid.objects.filter(opportunity__department__in=self.departments)
                        .exclude(department__in=self.departments).order_by().values_list("pk", flat=True))
        return self._get("stray", compute)

    @property
    def team_projects(self):
        return self._get("team_projects", lambda: _ids(Project.members.through.objects.filter(user=self.actor.pk),
                                                       "project_id"))

    @property
    def decided_contracts(self):
        return self._get("decided", lambda: _ids(StepDecider.objects.filter(user=self.actor.pk),
                                                 "step__review__contract_id"))


def lookups(actor) -> Lookups:
    if not hasattr(actor, "_insights_lookups"):
        actor._insights_lookups = Lookups(actor)
    return actor._insights_lookups


def _in(field: str, ids: list[int]) -> Q:
    return Q(**{f"{field}__in": ids}) if ids else NOTHING


# --- opportunities -------------------------------------------------------------------------------------

def opportunity_q(actor) -> Q:
    """visible_opportunities: owner, team member, head of the department (or above), the project's lead."""
    look = lookups(actor)
    team, led = look.team_opportunities, look.led_opportunities
    if team is None or led is None or len(team) + len(led) > LIMIT:
        return Q(pk__in=visible_opportunity_ids(actor))
    q = Q(owner=actor.pk) | _in("pk", sorted({*team, *led}))
    return q | _in("department", look.departments) if look.departments is not None else q


def opportunities(actor):
    if not is_active_user(actor):
        return Opportunity.objects.none()
    if actor.sees_all:
        return Opportunity.objects.all()
    return Opportunity.objects.filter(opportunity_q(actor))


# --- projects ------------------------------------------------------------------------------------------

def projects(actor):
    """visible_projects: owner, team member, head of the department (or above), the assigned lead."""
    if not is_active_user(actor):
        return Project.objects.none()
    if actor.sees_all:
        return Project.objects.all()
    look = lookups(actor)
    team = look.team_projects
    if team is None:
        return visible_projects(actor)
    q = Q(owner=actor.pk) | Q(tech_lead=actor.pk) | _in("pk", team)
    return Project.objects.filter(q | _in("department", look.departments) if look.departments is not None else q)


# --- bids ----------------------------------------------------------------------------------------------

def sees_every_bid(actor) -> bool:
    return is_active_user(actor) and sees_all_bids(actor)


def _small_visible_opportunities(actor) -> list[int] | None:
    """The opportunities the actor sees other than through a department (his own, his teams', his projects'),
    when there are few of them (a head's); None for a sales rep with his thousands."""
    look = lookups(actor)
    parts = (look.own_opportunities, look.team_opportunities, look.led_opportunities)
    if any(p is None for p in parts) or sum(len(p) for p in parts) > LIMIT:
        return None
    return sorted({i for p in parts for i in p})


def bid_q(actor) -> Q:
    """visible_bids for someone who does not see every bid: bids of the opportunities he sees, his own, his
    departments' (heads)."""
    look = lookups(actor)
    small = _small_visible_opportunities(actor)
    if small is None:
        return Q(pk__in=visible_bids(actor).values("pk"))
    # Bids of opportunities in his departments are his departments' bids, or among the strays.
    q = Q(owner=actor.pk) | _in("opportunity", small) | _in("pk", look.stray_bids)
    return q | _in("department", look.departments) if look.departments is not None else q


def bids(actor):
    """visible_bids: all for the bid assistant, market head and admin."""
    if not is_active_user(actor):
        return Bid.objects.none()
    if sees_all_bids(actor):
        return Bid.objects.all()
    return Bid.objects.filter(bid_q(actor))


# --- contracts -----------------------------------------------------------------------------------------

def contracts(actor):
    """visible_contracts: owner, the opportunity's owner and team, head of the department (or above), the
    deciders of its review steps."""
    if not is_active_user(actor):
        return Contract.objects.none()
    if actor.sees_all:
        return Contract.objects.all()
    look = lookups(actor)
    own, team, decided = look.own_opportunities, look.team_opportunities, look.decided_contracts
    if own is None or team is None or decided is None or len(own) + len(team) > LIMIT:
        return visible_contracts(actor)
    q = Q(owner=actor.pk) | _in("opportunity", sorted({*own, *team})) | _in("pk", decided)
    return Contract.objects.filter(q | _in("department", look.departments) if look.departments is not None else q)


def departments(actor):
    """The departments the viewer may pick as a filter: all for the roles that see all records, a head's own
    department and everything under it, anyone else his own department."""
    if not is_active_user(actor):
        return Department.objects.none()
    everything = Department.objects.filter(active=True).order_by("path")
    if actor.sees_all or sees_all_bids(actor):
        return everything
    if actor.department_id is None:
        return Department.objects.none()
    if lookups(actor).departments is not None:
        return everything.filter(path__startswith=actor.department.path)
    return everything.filter(pk=actor.department_id)
