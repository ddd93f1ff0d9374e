"""Error pages in the user's language, in development (DEBUG) too (issue 20, item 11): an unknown address is our
404 page in Chinese or English, never Django's technical page; the API keeps answering JSON."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
@pytest.mark.parametrize(("language", "words"), [("zh-hans", "返回工作台"), ("en", "Back to the workbench")])
def test_an_unknown_page_in_development_is_our_page_in_the_users_language(client, org, language, words):
    client.force_login(org["rep1"])
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-status"' in html and words in html
    assert "Page not found" not in html and "URLconf" not in html


@override_settings(DEBUG=True)
def test_a_record_outside_the_scope_in_development_is_our_page(client, org):
    client.force_login(org["rep1"])
    html = client.get("/contracts/999999/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="error-status"' in html and "URLconf" not in html


@override_settings(DEBUG=True)
def test_the_api_still_answers_json_in_development(client, org):
    client.force_login(org["rep1"])
    response = client.get("/api/v1/contracts/999999", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
