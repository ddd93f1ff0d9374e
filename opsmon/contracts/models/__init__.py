from .contract import Amendment, Attachment, Contract, ContractVersion, Milestone

__all__ = ["Amendment", "Attachment", "Contract", "ContractVersion", "Milestone"]
