"""/api/v1: every module's router under one NinjaAPI with one auth and one error format."""

from ninja import NinjaAPI

from opsmon.accounts.api import router as accounts_router
from opsmon.accounts.auth import api_auth
from opsmon.bids.api import router as bids_router
from opsmon.bids.api_intake import router as bids_intake_router
from opsmon.codes.api import router as codes_router
from opsmon.contracts.api import router as contracts_router
from opsmon.core import api_errors
from opsmon.customers.api import router as customers_router
from opsmon.insights.api import router as insights_router
from opsmon.integrations.api import router as integrations_router
from opsmon.notifications.api import router as notifications_router
from opsmon.opportunities.api import router as opportunities_router
from opsmon.opportunities.api_excel import router as opportunities_excel_router
from opsmon.projects.api import router as projects_router

api = NinjaAPI(
    title="OpsMon API",
    version="1",
    description="The REST contract of OpsMon (design/API.md). Authenticate with a session and CSRF token, "
                "or `Authorization: Bearer <token>` from `POST /api/v1/auth/token`.",
    auth=api_auth,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=api_errors.SafeParser(),
)
api_errors.install(api)
api.add_router("", accounts_router)
api.add_router("", codes_router)
api.add_router("", customers_router)
api.add_router("", opportunities_excel_router)
api.add_router("", opportunities_router)
api.add_router("", projects_router)
api.add_router("", notifications_router)
api.add_router("", integrations_router)
api.add_router("", bids_router)
api.add_router("", contracts_router)
api.add_router("", bids_intake_router)
api.add_router("", insights_router)
