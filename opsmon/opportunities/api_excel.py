"""/opportunities/export.xlsx, /opportunities/import-template.xlsx and /opportunities/import."""

from ninja import Router

router = Router(tags=["opportunities"])
