"""The audit trail: the timeline cannot be changed or deleted through the ORM, raw SQL, the API or any page; every
login success and failure and every refusal (403) of the API and of a page is written to `opsmon.audit`."""

import logging

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import get_resolver

from opsmon.core import timeline
from opsmon.core.models import TimelineEntry

AUDIT = "opsmon.audit"


@pytest.fixture
def entry(org):
    return timeline.record(org["rep1"], actor=org["admin"], action="audit.kept", comment="原文")


def test_no_orm_path_changes_or_deletes_an_entry(entry):
    entry.comment = "改写"
    attempts = [
        entry.save,
        entry.delete,
        lambda: TimelineEntry.objects.filter(pk=entry.pk).update(comment="改写"),
        lambda: TimelineEntry.objects.all().update(comment="改写"),
        lambda: TimelineEntry.objects.filter(pk=entry.pk).delete(),
        lambda: TimelineEntry.objects.all().delete(),
        lambda: TimelineEntry.objects.bulk_update([entry], ["comment"]),
        lambda: TimelineEntry.objects.update_or_create(pk=entry.pk, defaults={"comment": "改写"}),
        lambda: TimelineEntry.objects.bulk_create(
            [TimelineEntry(pk=entry.pk, content_type_id=entry.content_type_id, object_id=entry.object_id,
                           action="audit.kept", comment="改写")],
            update_conflicts=True, unique_fields=["id"], update_fields=["comment"]),
    ]
    for attempt in attempts:
        with pytest.raises(TypeError), transaction.atomic():  # some run inside an atomic block of their own
            attempt()
    fresh = TimelineEntry.objects.get(pk=entry.pk)
    assert fresh.comment == "原文" and fresh.action == "audit.kept"


def test_the_database_refuses_raw_updates_and_deletes(entry):
    table = TimelineEntry._meta.db_table
    for sql in (f"UPDATE {table} SET comment = 'rewritten' WHERE id = %s",  # noqa: S608 - fixed table name
                f"DELETE FROM {table} WHERE id = %s"):  # noqa: S608
        with pytest.raises(IntegrityError, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert TimelineEntry.objects.get(pk=entry.pk).comment == "原文"
    timeline.record(entry.actor, actor=entry.actor, action="audit.appended")  # appending still works
    assert TimelineEntry.objects.filter(action="audit.appended").count() == 1


@pytest.mark.django_db(transaction=True)
def test_flush_is_the_one_way_to_empty_it(entry):
    """Django's flush (the test suite's reset between transactional tests) still empties the table."""
    call_command("flush", interactive=False, verbosity=0)
    assert TimelineEntry.objects.count() == 0
    if connection.vendor == "sqlite":  # the flag that let the flush through is gone again
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM pragma_table_list WHERE schema = 'temp'")
            assert "opsmon_timeline_flush" not in {row[0] for row in cursor.fetchall()}


def test_no_interface_offers_to_change_the_timeline(client, org):
    schema = client.get("/api/v1/openapi.json").json()
    timeline_routes = {(method, path) for path, ops in schema["paths"].items() if "timeline" in path for method in ops}
    assert timeline_routes and {method for method, _ in timeline_routes} == {"get"}
    assert "django.contrib.admin" not in settings.INSTALLED_APPS  # no generic model admin to edit rows with

    def names(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from names(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern)

    assert not [p for p in names(get_resolver().url_patterns) if "timeline" in p and not p.startswith("api/")]


def audit_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == AUDIT]


def test_web_login_success_and_failure_are_audited(client, org, caplog):
    caplog.set_level(logging.INFO, logger=AUDIT)
    client.post("/login/", {"username": "rep1", "password": "wrong"})
    client.post("/login/", {"username": "rep1", "password": "opsmon-demo"})
    lines = audit_lines(caplog)
    assert any(line.startswith("login failed user=rep1") for line in lines), lines
    assert any(line.startswith("login ok user=rep1") for line in lines), lines


def test_api_token_login_success_and_failure_are_audited(client, org, caplog):
    caplog.set_level(logging.INFO, logger=AUDIT)
    assert client.post("/api/v1/auth/token", {"username": "rep2", "password": "nope"},
                       content_type="application/json").status_code == 401
    assert client.post("/api/v1/auth/token", {"username": "rep2", "password": "opsmon-demo"},
                       content_type="application/json").status_code == 200
    lines = audit_lines(caplog)
    assert any(line.startswith("login failed user=rep2") for line in lines), lines
    assert any(line.startswith("login ok user=rep2") for line in lines), lines


def test_an_api_refusal_is_audited(client, org, caplog):
    caplog.set_level(logging.INFO, logger=AUDIT)
    client.force_login(org["head1"])
    response = client.get("/api/v1/integrations/webhooks")
    assert response.status_code == 403
    assert "refused user=head1 GET /api/v1/integrations/webhooks" in audit_lines(caplog)


@pytest.mark.parametrize("url", ["/admin/users/", "/admin/webhooks/"])
def test_a_page_refusal_is_audited(client, org, caplog, url):
    caplog.set_level(logging.INFO, logger=AUDIT)
    client.force_login(org["rep1"])
    assert client.get(url).status_code == 403
    assert f"refused user=rep1 GET {url}" in audit_lines(caplog)


def test_a_service_refusal_on_a_page_and_a_csrf_refusal_are_audited(org, caplog):
    from django.test import Client

    caplog.set_level(logging.INFO, logger=AUDIT)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(org["rep1"])
    assert browser.post("/admin/departments/new/", {"name": "x"}).status_code == 403  # no CSRF token
    assert "refused user=rep1 POST /admin/departments/new/" in audit_lines(caplog)
