"""Backup and restore round trip on the database in use: row counts and file checksums come back exactly."""

import hashlib
import io
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from opsmon.accounts.models import User
from opsmon.core.backup import _counts, _tables
from opsmon.core.files import store_upload
from opsmon.core.models import StoredFile

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def state():
    with connection.cursor() as cursor:
        counts = _counts(cursor, _tables(cursor))
    root = Path(settings.MEDIA_ROOT)
    files = {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in root.rglob("*") if p.is_file()}
    return counts, files


def backup_to(tmp_path) -> Path:
    out = io.StringIO()
    call_command("backup", output=str(tmp_path), stdout=out)
    return Path(out.getvalue().strip())


def test_round_trip_brings_back_rows_and_files(org, tmp_path):
    first = store_upload(SimpleUploadedFile("a.pdf", PDF), actor=org["rep1"])
    second = store_upload(SimpleUploadedFile("b.pdf", PDF + b"%2"), actor=org["rep1"])
    before = state()
    archive = backup_to(tmp_path / "out")
    assert archive.name.startswith("opsmon-backup-") and archive.suffixes[-2:] == [".tar", ".gz"]
    # what happens after the backup: new rows, a lost file, a changed file, a new file
    User.objects.create_user(username="later", password="x" * 12)
    Path(first.file.path).unlink()
    Path(second.file.path).write_bytes(b"tampered")
    store_upload(SimpleUploadedFile("c.pdf", PDF + b"%3"), actor=org["rep1"])
    assert state() != before
    call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    assert state() == before
    assert not User.objects.filter(username="later").exists()
    assert StoredFile.objects.count() == 2 and Path(first.file.path).read_bytes() == PDF


def test_restore_refuses_damaged_or_foreign_archives_and_changes_nothing(org, tmp_path):
    archive = backup_to(tmp_path / "out")
    User.objects.create_user(username="kept", password="x" * 12)
    before = state()
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(archive.read_bytes()[:-200])
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("../../etc/evil")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("database"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    for bad in (damaged, evil, tampered, tmp_path / "missing.tar.gz"):
        with pytest.raises(CommandError):
            call_command("restore", str(bad), yes=True, stdout=io.StringIO())
        assert state() == before
    with pytest.raises(CommandError):  # no --yes and no terminal to ask
        call_command("restore", str(archive), stdout=io.StringIO())
    assert User.objects.filter(username="kept").exists()
