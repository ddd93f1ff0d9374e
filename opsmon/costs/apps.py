from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CostsConfig(AppConfig):
    name = "opsmon.costs"
    label = "costs"
    verbose_name = _("Procurement costs and margin")

    def ready(self):
        from opsmon.contracts import hooks as contract_hooks
        from opsmon.procurement import hooks as procurement_hooks

        from . import figures, views

        # The project's cost card: received / invoiced / paid (procurement.selectors.cost_of merges the answers).
        procurement_hooks.project_figures.connect(figures.figures)
        # The contract page's margin section, for whoever sees the contract.
        contract_hooks.detail_sections.connect(views.margin_section)
