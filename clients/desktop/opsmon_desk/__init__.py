"""opsmon_desk: the OpsMon desktop client (issue 17).

A Qt application that speaks only HTTP to the server's `/api/v1` with a bearer token and draws its lists, record
pages and action dialogs from the server's own descriptions (`/api/v1/ui/resources` and `/api/v1/openapi.json`).
It imports nothing from the server's `opsmon` package, so it runs against any OpsMon server, on any machine.
"""

__version__ = "0.1.0"
