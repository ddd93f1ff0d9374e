"""/sourcings: sourcing (询价/比价), invitations, quotations, comparison, award."""

from ninja import Router

router = Router(tags=["sourcing"])
