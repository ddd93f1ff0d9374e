from .contract import Amendment, Attachment, Contract, ContractVersion, Milestone
from .review import Review, ReviewRoute, ReviewStep, RouteStep, StepDecider

__all__ = ["Amendment", "Attachment", "Contract", "ContractVersion", "Milestone", "Review", "ReviewRoute",
           "ReviewStep", "RouteStep", "StepDecider"]
