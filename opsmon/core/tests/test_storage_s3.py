"""Documents on S3-compatible object storage (issue 19, STORAGE_URL), against a local S3 server started here
(moto_server, from the test extra): stored there and nowhere on disk, streamed back after the permission check;
with the storage away an upload is 503 `storage_unavailable` and keeps nothing, a download is 503."""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from opsmon.core.errors import Unavailable
from opsmon.core.files import file_response, store_upload
from opsmon.core.models import StoredFile
from opsmon.settings.base import document_storage

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MOTO = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which("moto_server")
KEY, SECRET, BUCKET = "test-key", "test-secret", "opsmon-test"

pytestmark = pytest.mark.skipif(MOTO is None, reason="moto_server not installed (the test extra)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    port = _free_port()
    process = subprocess.Popen([MOTO, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,  # noqa: S603
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, "moto_server did not start"
                time.sleep(0.2)
        import boto3

        client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", aws_access_key_id=KEY,
                              aws_secret_access_key=SECRET, region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield port, client
    finally:
        process.terminate()
        process.wait(timeout=10)


def use_storage(settings, port):
    from botocore.config import Config

    storage = document_storage(f"s3://{KEY}:{SECRET}@127.0.0.1:{port}/{BUCKET}/docs?tls=false")
    storage["OPTIONS"]["client_config"] = Config(connect_timeout=1, read_timeout=5, retries={"max_attempts": 1})
    settings.STORAGES = {**settings.STORAGES, "default": storage}


@pytest.fixture
def on_s3(settings, s3_server):
    port, client = s3_server
    use_storage(settings, port)
    return client


@pytest.fixture
def storage_away(settings):
    use_storage(settings, _free_port())  # nothing listens there


def test_the_storage_url_is_parsed():
    config = document_storage("s3://AK:S%2FK@oss.example.cn:9000/docs/opsmon?region=cn-north-1")
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert (options["endpoint_url"], options["bucket_name"], options["location"]) == (
        "https://oss.example.cn:9000", "docs", "opsmon")
    assert (options["access_key"], options["secret_key"], options["region_name"]) == ("AK", "S/K", "cn-north-1")
    assert document_storage("")["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    with pytest.raises(ValueError):
        document_storage("ftp://x/y")


def test_an_upload_is_kept_in_object_storage_and_streamed_back(org, on_s3, settings):
    stored = store_upload(SimpleUploadedFile("标书.pdf", PDF), actor=org["rep1"])
    keys = [o["Key"] for o in on_s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert f"docs/{stored.file.name}" in keys
    assert not (Path(settings.MEDIA_ROOT) / stored.file.name).exists()  # nothing on this node's disk
    response = file_response(stored)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert type(default_storage._wrapped).__name__ == "S3Storage"


def test_an_upload_while_the_storage_is_away_is_503_and_keeps_nothing(org, storage_away):
    before = StoredFile.objects.count()
    with pytest.raises(Unavailable) as refused:
        store_upload(SimpleUploadedFile("标书.pdf", PDF), actor=org["rep1"])
    assert refused.value.status == 503 and refused.value.code == "storage_unavailable"
    assert StoredFile.objects.count() == before


def test_a_download_while_the_storage_is_away_is_503(org, on_s3, settings, s3_server):
    stored = store_upload(SimpleUploadedFile("标书.pdf", PDF), actor=org["rep1"])
    use_storage(settings, _free_port())
    stored = StoredFile.objects.get(pk=stored.pk)
    with pytest.raises(Unavailable) as refused:
        file_response(stored)
    assert refused.value.code == "storage_unavailable"


def test_healthz_shows_the_storage(client, db, on_s3, settings):
    assert client.get("/healthz").json()["checks"]["storage"] == {
        "status": "ok", "backend": "S3Storage", "ms": pytest.approx(0, abs=5000)}
    use_storage(settings, _free_port())
    body = client.get("/healthz").json()
    assert body["status"] == "degraded" and body["checks"]["storage"]["status"] == "degraded"


@pytest.mark.django_db(transaction=True)
def test_over_http_the_storage_outage_is_a_clear_503(http, org, settings):
    from opsmon.projects import services as projects
    from opsmon.projects.tests.factories import approved_project

    bid = projects.project_route(actor=org["rep1"], project=approved_project(org), to="bidding")["bid_id"]
    use_storage(settings, _free_port())
    rep = http("rep1")
    response = rep.post(f"/api/v1/bids/{bid}/documents", data={"kind": "tender"},
                        files={"file": ("招标文件.pdf", PDF, "application/pdf")})
    assert response.status_code == 503, response.text
    error = response.json()["error"]
    assert error["code"] == "storage_unavailable" and error["message"]
    assert rep.get(f"/api/v1/bids/{bid}/documents").json()["count"] == 0
