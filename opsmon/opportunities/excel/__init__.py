"""Excel exchange of opportunities: export of the filtered list, the import template, the all-or-nothing import."""

from .export import XLSX_CONTENT_TYPE, export_xlsx, template_xlsx
from .importing import ImportResult, import_opportunities, import_upload
from .jobs import export_job_create, export_needs_job, export_stem, import_job_create, import_job_get
from .reading import MAX_ROWS, ImportRefused

__all__ = [
    "MAX_ROWS",
    "XLSX_CONTENT_TYPE",
    "ImportRefused",
    "ImportResult",
    "export_job_create",
    "export_needs_job",
    "export_stem",
    "export_xlsx",
    "import_job_create",
    "import_job_get",
    "import_opportunities",
    "import_upload",
    "template_xlsx",
]
