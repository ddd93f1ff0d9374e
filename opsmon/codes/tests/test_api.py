import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_everyone_reads_active_items_in_order_with_labels(http):
    body = http("rep1").get("/api/v1/codes/opportunity_stage").json()
    assert body["count"] == len(body["items"]) >= 5
    first = body["items"][0]
    assert first["code"] == "discovery" and first["probability"] == 10
    assert first["label"] == "初步接洽"


def test_labels_follow_accept_language(http):
    body = http("rep1").get("/api/v1/codes/tender_method", headers={"Accept-Language": "en"}).json()
    assert body["items"][0]["label"] == "Open tender"


def test_unknown_table_is_404(http):
    response = http("rep1").get("/api/v1/codes/nonsense")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_admin_adds_patches_and_deactivates(http):
    admin = http("admin")
    created = admin.post("/api/v1/codes/industry", json={"code": "aerospace", "label_zh": "航空航天",
                                                          "label_en": "Aerospace", "order": 5})
    assert created.status_code == 201, created.text
    assert admin.post("/api/v1/codes/industry", json={"code": "aerospace", "label_zh": "甲",
                                                      "label_en": "A"}).status_code == 409
    patched = admin.patch("/api/v1/codes/industry/aerospace", json={"active": False})
    assert patched.status_code == 200 and patched.json()["active"] is False
    codes = {i["code"] for i in admin.get("/api/v1/codes/industry").json()["items"]}
    assert "aerospace" not in codes
    everything = {i["code"] for i in admin.get("/api/v1/codes/industry?include_inactive=true").json()["items"]}
    assert "aerospace" in everything


def test_non_admin_cannot_change_codes(http):
    rep = http("market1")
    assert rep.post("/api/v1/codes/industry", json={"code": "x", "label_zh": "x", "label_en": "x"}).status_code == 403
    assert rep.patch("/api/v1/codes/industry/energy", json={"active": False}).status_code == 403
    assert rep.get("/api/v1/codes/industry?include_inactive=true").status_code == 403


def test_bad_item_is_422_naming_the_field(http):
    admin = http("admin")
    response = admin.post("/api/v1/codes/opportunity_stage", json={"code": "x", "label_zh": "甲", "label_en": "A",
                                                                   "probability": 101})
    assert response.status_code == 422 and "probability" in response.json()["error"]["fields"]
    response = admin.post("/api/v1/codes/industry", json={"code": "bad code", "label_zh": "甲", "label_en": "A"})
    assert response.status_code == 422 and "code" in response.json()["error"]["fields"]
