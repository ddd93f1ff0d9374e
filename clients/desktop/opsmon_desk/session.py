"""One logged-in session: the API, who I am, the server's UI description and OpenAPI document, and the lookups
dialogs share (code tables, users, records to pick), fetched once per session and language."""

from .api import Api
from .schema import OpenApi

# The OpenAPI document per server, read once per run of the client (it is large and changes only with a new
# server version; a new login in the same run reuses it).
OPENAPI_CACHE: dict[str, dict] = {}


class Session:
    def __init__(self, api: Api):
        self.api = api
        self.me: dict = {}
        self.resources: dict[str, dict] = {}
        self.openapi = OpenApi({})
        self._cache: dict = {}

    def load(self) -> None:
        self.me = self.api.get("/me")
        self.reload_description()
        if self.api.server not in OPENAPI_CACHE:
            OPENAPI_CACHE[self.api.server] = self.api.get("/openapi.json")
        self.openapi = OpenApi(OPENAPI_CACHE[self.api.server])

    def reload_description(self) -> None:
        self._cache.clear()
        description = self.api.get("/ui/resources")
        self.resources = {r["name"]: r for r in description["resources"]}

    def resource_for(self, record_type: str) -> dict | None:
        return next((r for r in self.resources.values() if r["record_type"] == record_type), None)

    def _cached(self, key, fetch):
        if key not in self._cache:
            self._cache[key] = fetch()
        return self._cache[key]

    def codes(self, table: str) -> list[tuple[str, str]]:
        def fetch():
            items = self.api.get(f"/codes/{table}", page_size=200).get("items", [])
            return [(i["code"], i["label"]) for i in items if i.get("active", True)]
        return self._cached(("codes", table), fetch)

    def users(self, role: str = "") -> list[tuple[int, str]]:
        def fetch():
            items = self.api.get("/users", role=role, page_size=200).get("items", [])
            return [(u["id"], f"{u.get('display_name') or u['username']}（{u['username']}）") for u in items]
        return self._cached(("users", role), fetch)

    def records(self, resource_name: str) -> list[tuple[int, str]]:
        """Records of a resource to pick from (the first 200 the caller sees), labelled by number and title."""
        resource = self.resources.get(resource_name)
        if resource is None:
            return []

        def fetch():
            items = self.api.get(resource["path"], page_size=200).get("items", [])
            out = []
            for item in items:
                number = item.get(resource["number_field"]) if resource["number_field"] else ""
                title = item.get(resource["title_field"]) or ""
                out.append((item["id"], " ".join(str(p) for p in (number, title) if p)))
            return out
        return self._cached(("records", resource_name), fetch)

    def forget(self, resource_name: str) -> None:
        self._cache.pop(("records", resource_name), None)
