"""Points where a lower module lets higher ones act, without importing them (the module order of
docs/architecture.md): the lower module declares a Hook, the higher one connects to it in its AppConfig.ready().

Examples: an opportunity converted needs a project (projects connect), a project routed to bidding needs a bid
(bids connect), a signed contract makes the bid's bonds refundable (bids connect to contracts' hook).
"""

from collections.abc import Callable


class Hook:
    """A named point; `connect` adds a receiver, calling the hook calls every receiver in order."""

    def __init__(self, name: str, *, single: bool = False):
        self.name = name
        self.single = single
        self._receivers: list[Callable] = []

    def connect(self, receiver: Callable) -> Callable:
        """Add `receiver` (usable as a decorator); connecting the same function twice keeps one."""
        if receiver not in self._receivers:
            if self.single and self._receivers:
                raise RuntimeError(f"hook {self.name} takes one receiver")
            self._receivers.append(receiver)
        return receiver

    def __call__(self, **kwargs) -> list:
        """Every receiver's answer, in the order they connected."""
        return [receiver(**kwargs) for receiver in self._receivers]

    def one(self, **kwargs):
        """The answer of the one receiver of a `single` hook; a hook nobody filled is a wiring bug."""
        if not self._receivers:
            raise RuntimeError(f"hook {self.name} has no receiver: is its app installed?")
        return self._receivers[0](**kwargs)

    def __repr__(self):
        return f"<Hook {self.name}: {len(self._receivers)} receiver(s)>"
