"""What opportunities add when lower modules ask (core.hooks): a customer's page lists the viewer's opportunities
of that customer."""

from opsmon.codes.selectors import label_map
from opsmon.core.forms import verbose_names
from opsmon.customers import hooks as customer_hooks

from .models import Opportunity
from .selectors import OpportunityFilters, opportunity_list


@customer_hooks.related.connect
def customer_opportunities(*, viewer, customer) -> dict:
    labels = label_map("opportunity_stage")
    opportunities = list(opportunity_list(actor=viewer, filters=OpportunityFilters()).filter(customer=customer))
    for opportunity in opportunities:
        opportunity.stage_label = labels.get(("opportunity_stage", opportunity.stage), opportunity.stage)
    return {"opportunities": opportunities, "opportunity_names": verbose_names(Opportunity)}
