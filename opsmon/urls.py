from django.urls import include, path
from django.views.i18n import set_language

from opsmon.api import api
from opsmon.web.views import errors, health

urlpatterns = [
    path("api/v1/", api.urls),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("opsmon.web.urls")),
    path("opportunities/", include("opsmon.opportunities.urls")),
    path("customers/", include("opsmon.customers.urls")),
    path("projects/", include("opsmon.projects.urls")),
    path("resources/", include("opsmon.resources.urls")),  # a project's resources, resource requests
    path("", include("opsmon.bids.urls")),  # /bids/ and the bond register at /bonds/
    path("", include("opsmon.contracts.urls")),  # /contracts/
    path("", include("opsmon.receivables.urls")),  # /receivables/, the money trail's actions on a contract
    path("", include("opsmon.guarantees.urls")),  # /guarantee-letters/
    path("", include("opsmon.suppliers.urls")),  # /suppliers/
    path("procurement/sourcings/", include("opsmon.sourcing.urls")),
    path("procurement/orders/", include("opsmon.purchasing.urls")),
    path("procurement/receipts/", include("opsmon.receiving.urls")),
    path("procurement/invoices/", include("opsmon.supplier_invoices.urls")),
    path("procurement/payments/", include("opsmon.payments.urls")),
    path("procurement/evaluations/", include("opsmon.evaluations.urls")),
    path("procurement/costs/", include("opsmon.costs.urls")),
    path("procurement/", include("opsmon.procurement.urls")),  # purchase requests, procurement settings
    path("", include("opsmon.approvals.urls")),  # the review routes of every kind at /admin/review-routes/
    path("", include("opsmon.notifications.urls")),
    path("", include("opsmon.directory.urls")),  # /admin/directory/ mappings, /directory/departed/
    path("calendar/", include("opsmon.calendars.urls")),
    path("insights/", include("opsmon.insights.urls")),
    path("admin/", include("opsmon.accounts.urls")),
    path("admin/codes/", include("opsmon.codes.urls")),
    path("admin/webhooks/", include("opsmon.integrations.urls")),
]

handler400 = errors.bad_request
handler403 = errors.forbidden
handler404 = errors.not_found
handler500 = errors.server_error
