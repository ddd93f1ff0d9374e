"""The bearer token between sessions: in the OS keyring when one is usable, else in the user's config folder in a
file only its owner can read (0600). `OPSMON_DESK_KEYRING=0` forces the file (tests, headless machines)."""

import contextlib
import json
import os
from pathlib import Path

from .config import config_dir, write_private

try:  # optional: without it (or without a usable backend) the token goes to the private file
    import keyring
    from keyring.backends import fail
except ImportError:  # pragma: no cover - keyring is in the desktop extra
    keyring = None

SERVICE = "opsmon-desk"


def _usable_keyring():
    if os.environ.get("OPSMON_DESK_KEYRING", "1") == "0" or keyring is None:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken keyring set-up is the same as none
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    if type(backend).__name__ == "ChainerBackend" and not getattr(backend, "backends", None):
        return None
    return keyring


class TokenStore:
    def __init__(self, directory: Path | None = None):
        self.directory = directory or config_dir()
        self.keyring = _usable_keyring()

    @property
    def file(self) -> Path:
        return self.directory / "tokens.json"

    @property
    def where(self) -> str:
        return "keyring" if self.keyring is not None else "file"

    @staticmethod
    def _key(server: str, username: str) -> str:
        return f"{server.rstrip('/')}|{username}"

    def _read_file(self) -> dict:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def load(self, server: str, username: str) -> str | None:
        key = self._key(server, username)
        if self.keyring is not None:
            try:
                return self.keyring.get_password(SERVICE, key)
            except Exception:  # noqa: BLE001
                self.keyring = None
        return self._read_file().get(key)

    def save(self, server: str, username: str, token: str) -> None:
        key = self._key(server, username)
        if self.keyring is not None:
            try:
                self.keyring.set_password(SERVICE, key, token)
                return
            except Exception:  # noqa: BLE001 - locked or absent keyring: fall back to the private file
                self.keyring = None
        data = self._read_file()
        data[key] = token
        write_private(self.file, json.dumps(data, indent=2))

    def clear(self, server: str, username: str) -> None:
        key = self._key(server, username)
        if self.keyring is not None:
            with contextlib.suppress(Exception):  # nothing stored is fine
                self.keyring.delete_password(SERVICE, key)
        data = self._read_file()
        if key in data:
            del data[key]
            write_private(self.file, json.dumps(data, indent=2))
