"""/contracts/{id}/margin and the procurement dashboards under /insights/."""

from ninja import Router

router = Router(tags=["costs"])
