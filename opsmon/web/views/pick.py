"""The search pickers' endpoints (opsmon.core.widgets.SearchSelect): `GET /pick/<kind>/?q=` answers
`[{"value", "text"}]`, at most PICK_LIMIT, drawn from the module's own visibility selector, so a picker never offers
more than the user may see. The forms still validate the chosen ids against the same scope."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from opsmon.accounts.models import User
from opsmon.customers.selectors import CustomerFilters, customer_list
from opsmon.opportunities.selectors import visible_opportunities

PICK_LIMIT = 20
MAX_QUERY = 100


def _query(request) -> str:
    return request.GET.get("q", "").strip()[:MAX_QUERY]


def _answer(items) -> JsonResponse:
    response = JsonResponse(list(items), safe=False)
    response["Cache-Control"] = "private, no-store"
    return response


def opportunity_text(o) -> str:
    return f"{o.number} {o.title} · {o.customer.name}"


def user_text(u) -> str:
    return f"{u} ({u.username})" if u.display_name else u.username


@require_GET
@login_required
def customers(request):
    """Customers (master data every signed-in user reads) whose name or credit code matches `q`."""
    found = customer_list(actor=request.user, filters=CustomerFilters(q=_query(request)))[:PICK_LIMIT]
    return _answer({"value": c.pk, "text": c.name} for c in found)


@require_GET
@login_required
def opportunities(request):
    """The opportunities the user sees whose number, title or customer matches `q`, newest first; `open=1`
    leaves the closed ones out (registering a bid, drafting a contract)."""
    scope = visible_opportunities(request.user)
    if request.GET.get("open") == "1":
        scope = scope.exclude(status="closed")
    q = _query(request)
    if q:
        scope = scope.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(customer__name__icontains=q))
    found = scope.select_related("customer").order_by("-created_at", "-id")[:PICK_LIMIT]
    return _answer({"value": o.pk, "text": opportunity_text(o)} for o in found)


@require_GET
@login_required
def users(request):
    """Active users whose name, user name or e-mail matches `q`; `role=` (repeatable) keeps those holding one of
    the roles (an opportunity's team: sales reps and department heads)."""
    found = User.objects.filter(is_active=True)
    q = _query(request)
    if q:
        found = found.filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(email__icontains=q))
    roles = [r for r in request.GET.getlist("role") if r][:10]
    if roles:
        found = found.filter(pk__in=User.objects.filter(groups__name__in=roles).values("pk"))
    found = found.order_by("username")[:PICK_LIMIT]
    return _answer({"value": u.pk, "text": user_text(u)} for u in found)
