"""The Evaluation section of the order's page (purchasing.hooks.page_sections) and its form's POST (refused: the
form again on its own page, with what was typed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from opsmon.core import links
from opsmon.core.errors import ApplicationError
from opsmon.core.rules import refuse
from opsmon.core.web import place_error
from opsmon.purchasing.choices import OrderStatus
from opsmon.receiving.selectors import order_get

from . import rules, selectors, services
from .forms import EvaluationForm


def _context(request, order, form=None) -> dict:
    evaluation = selectors.evaluation_of(order)
    can = rules.can_evaluate(request.user, order) is None
    return {"order": order, "evaluation": evaluation, "measures": services.measures(order),
            "form": form or (EvaluationForm(evaluation=evaluation) if can else None),
            "order_url": links.url_for(request.user, order)}


def order_section(*, request, order) -> str:
    """The Evaluation section of the order's page (connected to purchasing.hooks.page_sections); none before the
    order is signed."""
    if order.status not in (OrderStatus.SIGNED, OrderStatus.COMPLETED, OrderStatus.CLOSED):
        return ""
    return render_to_string("evaluations/_order_section.html", _context(request, order), request=request)


@login_required
def evaluate(request, order_pk):
    """GET: the form on its own page; POST: save, back to the order's page."""
    order = order_get(actor=request.user, pk=order_pk)
    refuse(rules.can_evaluate(request.user, order))
    form = EvaluationForm(request.POST or None, evaluation=selectors.evaluation_of(order))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = services.evaluation_save(actor=request.user, order=order, **form.service_args())
            except ApplicationError as error:
                place_error(form, error)
                status = error.status
            else:
                messages.success(request, _("Evaluated: grade %(g)s (score %(s)s).") % {"g": saved.grade,
                                                                                        "s": saved.score})
                return redirect(links.url_for(request.user, order)
                                or reverse("evaluations:evaluate", args=[order.pk]))
    return render(request, "evaluations/evaluate.html", _context(request, order, form), status=status)
