"""An invoice issued or money received tomorrow is refused (issue 20, item 3) in the one wording of core.workflow."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opsmon.contracts.tests.factories import routes, signed
from opsmon.core.errors import Invalid
from opsmon.core.workflow import future_refusal
from opsmon.receivables import services
from opsmon.receivables.models import Collection, Invoice

TOMORROW = timezone.localdate() + timedelta(days=1)


def test_an_invoice_or_a_collection_dated_tomorrow_is_refused(org):
    routes(org)
    milestone = signed(org).milestones.get(position=1)
    with pytest.raises(Invalid) as error:
        services.invoice_record(actor=org["finance1"], milestone=milestone, number="INV-9", invoice_type="vat_special",
                                tax_rate="13", amount="1000", issued_on=TOMORROW)
    assert error.value.status == 422 and error.value.fields["issued_on"] == [future_refusal()]
    with pytest.raises(Invalid) as error:
        services.collection_record(actor=org["finance1"], milestone=milestone, amount="1000", received_on=TOMORROW,
                                   method="bank_transfer")
    assert error.value.status == 422 and error.value.fields["received_on"] == [future_refusal()]
    assert not Invoice.objects.exists() and not Collection.objects.exists()
