"""/supplier-invoices through real HTTP: record (JSON and multipart with the scan), the match in the answer,
re-match after a receipt, accept-variance / verify / cancel with their roles, refusals with their status and field,
scope (404) and the list."""

import json
import threading

import pytest
from django.utils import timezone

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def _body(po, **over):
    return {"supplier_id": po.supplier_id, "invoice_type": "vat_special", "code": "1100231130",
            "number": f.number(), "issued_on": timezone.localdate().isoformat(),
            "seller_tax_id": po.supplier.credit_code,
            "lines": [f.row(line) for line in po.lines.order_by("position")], **over}


def test_round_trip_mismatch_receipt_verify(http, org):
    po = f.order(org)
    buyer, finance, head, rep = http("buyer1"), http("finance1"), http("phead1"), http("rep1")
    created = buyer.post("/api/v1/supplier-invoices", json=_body(po, total="11666.67"))
    assert created.status_code == 201, created.text
    body = created.json()
    iid = body["id"]
    assert body["number"].startswith("FP-") and body["status"] == "mismatch" and body["total"] == "11666.67"
    assert body["invoice_type"] == {"code": "vat_special", "label": "增值税专用发票"}
    assert body["lines"][0]["expected"] == "10000.00" and body["lines"][0]["mismatch"]
    assert body["allowed_actions"] == ["cancel"]
    assert rep.get(f"/api/v1/supplier-invoices/{iid}").status_code == 404
    assert head.get(f"/api/v1/supplier-invoices/{iid}").json()["allowed_actions"] == ["accept_variance", "cancel"]
    assert finance.post(f"/api/v1/supplier-invoices/{iid}/verify").status_code == 409
    assert buyer.post(f"/api/v1/supplier-invoices/{iid}/verify").status_code == 403

    f.accept(org, po)  # receiving accepts the delivery: the invoice is matched again
    again = finance.get(f"/api/v1/supplier-invoices/{iid}").json()
    assert again["status"] == "matched" and all(line["matched"] for line in again["lines"])
    assert again["allowed_actions"] == ["verify", "cancel"]
    verified = finance.post(f"/api/v1/supplier-invoices/{iid}/verify", json={})
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    assert verified.json()["verified_by"]["username"] == "finance1"
    timeline = buyer.get(f"/api/v1/supplier-invoices/{iid}/timeline").json()
    assert [e["action"] for e in timeline][-1] == "supplierinvoice.verify"

    listed = buyer.get("/api/v1/supplier-invoices").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == iid
    assert rep.get("/api/v1/supplier-invoices").json()["count"] == 0
    assert finance.get("/api/v1/supplier-invoices?status=mismatch").json()["count"] == 0


def test_accept_variance_and_cancel(http, org):
    po = f.order(org)
    buyer, head = http("buyer1"), http("phead1")
    iid = buyer.post("/api/v1/supplier-invoices", json=_body(po)).json()["id"]
    assert buyer.post(f"/api/v1/supplier-invoices/{iid}/accept-variance", json={"reason": "x"}).status_code == 403
    empty = head.post(f"/api/v1/supplier-invoices/{iid}/accept-variance", json={"reason": ""})
    assert empty.status_code == 422 and "reason" in empty.json()["error"]["fields"]
    ok = head.post(f"/api/v1/supplier-invoices/{iid}/accept-variance", json={"reason": "到货单稍后补录"})
    assert ok.status_code == 200 and ok.json()["status"] == "matched"
    assert ok.json()["variance_reason"] == "到货单稍后补录"
    cancelled = buyer.post(f"/api/v1/supplier-invoices/{iid}/cancel", json={"reason": "开票有误"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert buyer.post(f"/api/v1/supplier-invoices/{iid}/cancel", json={"reason": "again"}).status_code == 409


def test_refusals(http, org):
    po = f.order(org)
    buyer = http("buyer1")
    cases = [({"total": "1.00"}, 422, "total"), ({"seller_tax_id": "91110000000000000X"}, 422, "seller_tax_id"),
             ({"issued_on": "2099-01-01"}, 422, "issued_on"), ({"invoice_type": "nope"}, 422, "invoice_type"),
             ({"colour": "red"}, 422, "colour")]
    for over, status, field in cases:
        answer = buyer.post("/api/v1/supplier-invoices", json=_body(po, **over))
        assert answer.status_code == status, (over, answer.text)
        assert field in answer.json()["error"]["fields"], (over, answer.text)
    body = _body(po, number="77770001")
    assert buyer.post("/api/v1/supplier-invoices", json=body).status_code == 201
    duplicate = buyer.post("/api/v1/supplier-invoices", json=body)
    assert duplicate.status_code == 409 and duplicate.json()["error"]["code"] == "duplicate_invoice"
    unsigned = f.order(org, status="approved")
    assert buyer.post("/api/v1/supplier-invoices", json=_body(unsigned)).status_code == 409
    assert http("rep1").post("/api/v1/supplier-invoices", json=_body(po)).status_code == 403
    assert buyer.post("/api/v1/supplier-invoices", data="not json",
                      headers={"Content-Type": "application/json"}).status_code == 400


def test_multipart_with_the_scan(http, org):
    po = f.order(org)
    buyer = http("buyer1")
    body = _body(po)
    form = {k: (json.dumps(v) if k == "lines" else str(v)) for k, v in body.items()}
    created = buyer.post("/api/v1/supplier-invoices", data=form,
                         files={"file": ("invoice.pdf", f.PDF, "application/pdf")})
    assert created.status_code == 201, created.text
    iid = created.json()["id"]
    assert created.json()["file"]["name"] == "invoice.pdf"
    download = buyer.get(f"/api/v1/supplier-invoices/{iid}/file")
    assert download.status_code == 200 and download.content == f.PDF
    bad = buyer.post("/api/v1/supplier-invoices", data={**form, "number": f.number(), "lines": "[{"},
                     files={"file": ("invoice.pdf", f.PDF, "application/pdf")})
    assert bad.status_code == 422 and "lines" in bad.json()["error"]["fields"]
    wrong = buyer.post("/api/v1/supplier-invoices", data={**form, "number": f.number()},
                       files={"file": ("invoice.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")})
    assert wrong.status_code == 422 and "file" in wrong.json()["error"]["fields"]


def _parallel(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_parallel_invoices_on_one_line_match_one_after_the_other(http, org):
    """Six invoices of the whole accepted quantity at once: the order is locked while they are matched, so exactly
    one is matched; the same invoice number sent four times at once is recorded once (409 for the others)."""
    po = f.order(org, lines=(("服务器", "3", "100", "13"),))
    f.accept(org, po)
    clients = [http("buyer1") for _ in range(6)]
    answers = _parallel([lambda c=c: c.post("/api/v1/supplier-invoices", json=_body(po)) for c in clients])
    assert all(a.status_code == 201 for a in answers), [a.text for a in answers]
    assert sorted(a.json()["status"] for a in answers) == ["matched"] + ["mismatch"] * 5
    same = _body(po, number="55550001")
    answers = _parallel([lambda c=c: c.post("/api/v1/supplier-invoices", json=same) for c in clients[:4]])
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409], [a.text for a in answers]
