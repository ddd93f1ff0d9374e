"""Where the client keeps its settings: the user's config folder (`OPSMON_DESK_CONFIG_DIR` overrides it)."""

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

DEFAULT_SERVER = "http://127.0.0.1:8000"
LANGUAGES = ("zh-hans", "en")


def config_dir() -> Path:
    explicit = os.environ.get("OPSMON_DESK_CONFIG_DIR")
    if explicit:
        return Path(explicit)
    if os.name == "nt":
        return Path(os.environ.get("APPDATA", Path.home())) / "opsmon-desk"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "opsmon-desk"


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` readable by its owner only (0600), created that way so it is never readable by
    others, not even for a moment."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(path, 0o600)


@dataclass
class Settings:
    server: str = DEFAULT_SERVER
    username: str = ""
    language: str = "zh-hans"

    @classmethod
    def load(cls, directory: Path | None = None) -> "Settings":
        path = (directory or config_dir()) / "settings.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and isinstance(v, str)}
        settings = cls(**known)
        if settings.language not in LANGUAGES:
            settings.language = "zh-hans"
        return settings

    def save(self, directory: Path | None = None) -> None:
        write_private((directory or config_dir()) / "settings.json", json.dumps(asdict(self), indent=2))
