"""Demo guarantee letters (保函), one per state the pages tell apart: bank guarantee bonds of open demo bids with a
letter expiring within 30 days, one expired while still needed, one extended (two periods), one released, and a
performance guarantee on the signed demo contract."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from opsmon.accounts.models import User
from opsmon.bids import services as bids
from opsmon.bids.models import Bid
from opsmon.contracts.models import Contract

from . import services
from .models import GuaranteeLetter

BANKS = ("中国银行福州分行", "中国建设银行福建省分行", "兴业银行福州分行", "中国人民财产保险福建分公司")
BENEFICIARY = "国网福建省电力有限公司"


def _bond(assistant, bid, today):
    bond = bids.bond_create(actor=assistant, bid=bid, kind="bid", amount="24000.00", method="bank_guarantee",
                            due_on=today)
    return bids.bond_pay(actor=assistant, bond=bond, paid_on=today - timedelta(days=40), reference="保函")


@transaction.atomic
def load(admin=None) -> None:
    """Idempotent: does nothing when demo letters exist or the demo bids are missing."""
    if GuaranteeLetter.objects.exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=["assistant1", "rep1"])}
    open_bids = list(Bid.objects.filter(title__startswith="配电自动化主站运维监控平台（", closed_at__isnull=True,
                                        status__in=["registered", "preparing", "submitted", "opened"])
                     .order_by("id")[:2])
    if "assistant1" not in users or not open_bids:
        return
    assistant, today = users["assistant1"], timezone.localdate()

    def letter(bid, n, bank, start, end):
        return services.letter_register(
            actor=assistant, bond=_bond(assistant, bid, today), bank=bank, number=f"BG-DEMO-{n:04d}",
            amount="24000.00", beneficiary=BENEFICIARY, valid_from=start, valid_to=end)

    first, second = open_bids[0], open_bids[-1]
    letter(first, 1, BANKS[0], today - timedelta(days=60), today + timedelta(days=12))        # expiring soon
    letter(second, 2, BANKS[1], today - timedelta(days=90), today - timedelta(days=3))        # expired, needed
    extended = letter(first, 3, BANKS[2], today - timedelta(days=80), today + timedelta(days=5))
    services.letter_extend(actor=assistant, letter=extended, valid_to=today + timedelta(days=150),
                           note="开标时间推迟，招标人要求保函延期。")
    released = letter(second, 4, BANKS[0], today - timedelta(days=70), today + timedelta(days=40))
    services.letter_release(actor=assistant, letter=released, released_on=today - timedelta(days=1))
    contract = Contract.objects.filter(status="signed", owner=users.get("rep1")).order_by("id").first()
    if contract is not None:
        services.letter_register(actor=users["rep1"], contract=contract, bank=BANKS[3], number="PG-DEMO-0001",
                                 amount=f"{contract.amount * 10 / 100:.2f}", beneficiary=contract.customer.name,
                                 valid_from=contract.signed_on or today, valid_to=(contract.end_on or today)
                                 + timedelta(days=30))
