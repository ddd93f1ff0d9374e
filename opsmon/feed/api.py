"""/changes: every record change the caller may see, in commit order, from a cursor (the change feed)."""

from ninja import Field, Query, Router, Schema

from opsmon.core.schemas import ERRORS

from . import cursor, selectors

router = Router(tags=["changes"])


class ChangeParams(Schema):
    after: str | None = Field(None, description="The `next` of the previous answer; none: from the first change.")
    limit: int = Field(selectors.DEFAULT_LIMIT, ge=1, le=selectors.MAX_LIMIT)


class ChangeOut(Schema):
    type: str = Field(description="customer, opportunity, project, bid, bond, contract, …")
    id: int
    number: str | None = Field(description="The record's number (SJ-…, LX-…, TB-…, HT-…); none if it has none.")
    action: str = Field(description="The timeline action key, e.g. bid.mark_won.")
    action_label: str = Field(description="The action's label in the caller's language.")
    at: str


class ChangesOut(Schema):
    items: list[ChangeOut]
    next: str = Field(description="Pass as `after` to read on; the same cursor when nothing newer is there yet.")


@router.get("/changes", response={200: ChangesOut, **ERRORS})
def changes(request, params: Query[ChangeParams]):
    """The changes after `after` that the caller may see, oldest commit first, and the cursor to read on from.
    A change of a record outside the caller's scope is never answered; the cursor still moves past it, so an
    answer may hold fewer than `limit` items (even none) while more follow: read until `next` stops changing."""
    items, position = selectors.changes_after(actor=request.auth, after=cursor.decode(params.after),
                                              limit=params.limit)
    return {"items": items, "next": cursor.encode(position)}
