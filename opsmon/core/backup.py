"""Backup and restore of the database and the uploaded files together, as one archive.

The archive (`.tar.gz`) holds `manifest.json` (row count per table, SHA-256 per file), the database
(`database.sqlite3`, an online copy through SQLite's backup API, or `database.pgdump`, pg_dump's custom
format) and `media/`. PostgreSQL counts are read in the very snapshot pg_dump exports, so the manifest
describes the dump exactly even while people keep working. Restore checks every checksum before it
touches anything, then replaces the database and the files, then checks the row counts.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; nothing was changed when it is raised by restore's checks."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _tables(cursor) -> list[str]:
    return sorted(t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_"))


def _counts(cursor, tables) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names come from introspection
        counts[table] = cursor.fetchone()[0]
    return counts


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found: install Debian's postgresql-client")
    return path


def _pg_env(settings_dict) -> tuple[list[str], dict]:
    args = ["--dbname", settings_dict["NAME"]]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    env = {**os.environ, "PGPASSWORD": settings_dict.get("PASSWORD") or ""}
    return args, env


def _dump_database(workdir: Path) -> tuple[str, dict[str, int]]:
    """Write the database into `workdir`; returns (file name, row counts of that very copy)."""
    if connection.vendor == "sqlite":
        target = workdir / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        with sqlite3.connect(target) as copy:
            cursor = copy.cursor()
            tables = [r[0] for r in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            counts = {t: cursor.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
        return target.name, counts
    if connection.vendor == "postgresql":
        target = workdir / "database.pgdump"
        args, env = _pg_env(connection.settings_dict)
        with connection.cursor() as cursor:  # hold a snapshot open: counts and dump see the same data
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = _counts(cursor, _tables(cursor))
                command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--snapshot", snapshot,
                           "--file", str(target), *args]
                result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 - no shell
            finally:
                cursor.execute("ROLLBACK")
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return target.name, counts
    raise BackupError(f"unsupported database: {connection.vendor}")


def _media_files(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): _sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def backup(output_dir: Path) -> Path:
    """Write a backup archive into `output_dir` and return its path."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryDirectory(dir=output_dir) as tmp:
        workdir = Path(tmp)
        db_name, counts = _dump_database(workdir)
        files = _media_files(media_root)
        manifest = {"format": FORMAT, "created_at": datetime.now().astimezone().isoformat(),
                    "vendor": connection.vendor, "database": {"file": db_name, "sha256": _sha256(workdir / db_name)},
                    "tables": counts, "files": files}
        (workdir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        partial = output_dir / f".opsmon-backup-{stamp}.tar.gz.part"
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(workdir / "manifest.json", arcname="manifest.json")
            tar.add(workdir / db_name, arcname=db_name)
            for rel in files:
                tar.add(media_root / rel, arcname=f"media/{rel}")
        final = output_dir / f"opsmon-backup-{stamp}.tar.gz"
        n = 1
        while final.exists():
            final = output_dir / f"opsmon-backup-{stamp}-{n}.tar.gz"
            n += 1
        partial.rename(final)  # a crash leaves a .part, never a half archive under the real name
    return final


def _extract(archive: Path, workdir: Path) -> dict:
    """Unpack and verify the archive into `workdir`; raise BackupError on anything unexpected."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                name = member.name
                if not (member.isfile() or member.isdir()) or name.startswith("/") or ".." in Path(name).parts:
                    raise BackupError(f"unsafe entry in archive: {name!r}")
            tar.extractall(workdir, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"not a readable backup archive: {exc}") from None
    try:
        manifest = json.loads((workdir / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"the archive has no valid manifest: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("unknown backup format")
    if manifest.get("vendor") != connection.vendor:
        raise BackupError(f"the backup is of a {manifest.get('vendor')} database; this one is {connection.vendor}")
    db_file = workdir / manifest["database"]["file"]
    if Path(manifest["database"]["file"]).name != manifest["database"]["file"] or not db_file.is_file() \
            or _sha256(db_file) != manifest["database"]["sha256"]:
        raise BackupError("the database copy in the archive is missing or damaged")
    found = _media_files(workdir / "media")
    if found != manifest["files"]:
        raise BackupError("the uploaded files in the archive do not match the manifest")
    return manifest


def _restore_database(db_file: Path) -> None:
    connections.close_all()
    if connection.vendor == "sqlite":
        with sqlite3.connect(db_file) as source, sqlite3.connect(connection.settings_dict["NAME"]) as target:
            source.backup(target)
        return
    args, env = _pg_env(connection.settings_dict)
    command = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
               "--exit-on-error", *args, str(db_file)]
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 - no shell
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _swap_media(new_media: Path) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    old = media_root.with_name(media_root.name + ".before-restore")
    if old.exists():
        shutil.rmtree(old)
    if media_root.exists():
        media_root.rename(old)
    if new_media.exists():
        shutil.move(str(new_media), str(media_root))
    else:
        media_root.mkdir()
    if old.exists():
        shutil.rmtree(old)


def restore(archive: Path) -> dict:
    """Replace the database and the uploaded files with the archive's; returns the manifest.

    Stop the app first: the restore replaces what a running server would be writing to.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"no such file: {archive}")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent) as tmp:  # same disk: the swap is a rename
        workdir = Path(tmp)
        manifest = _extract(archive, workdir)
        _restore_database(workdir / manifest["database"]["file"])
        _swap_media(workdir / "media")
    with connection.cursor() as cursor:
        counts = _counts(cursor, sorted(manifest["tables"]))
    if counts != manifest["tables"]:
        wrong = sorted(t for t in counts if counts[t] != manifest["tables"][t])
        raise BackupError(f"row counts differ after restore: {', '.join(wrong)}")
    return manifest
