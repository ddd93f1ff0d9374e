"""Commands on bids, split by concept: the bid's own workflow, its documents, its bonds."""

from .bonds import (  # noqa: F401
    bond_convert_to_performance,
    bond_create,
    bond_forfeit,
    bond_pay,
    bond_refund,
    bond_warnings,
)
from .documents import document_upload  # noqa: F401
from .workflow import (  # noqa: F401
    bid_abandon,
    bid_close,
    bid_create_contract,
    bid_create_for_project,
    bid_mark_lost,
    bid_mark_won,
    bid_register,
    bid_start_preparation,
    bid_submit,
    bid_update,
    opening_record,
    summary_save,
    tender_analysis_save,
)
