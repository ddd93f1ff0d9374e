"""Development profile: DEBUG on by default and a secret key generated once into var/."""

import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)

if not SECRET_KEY:  # noqa: F405
    # Never shared: generated on first start and kept beside the local database.
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

# Static files as production serves them (issue 20): collected (`opsmon serve` runs collectstatic) under hashed
# names, gzip-compressed, and cached for a year by the browser (whitenoise). With DEBUG on, pages name the plain
# files and whitenoise serves them from the source folders, so an edited stylesheet shows at once.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # noqa: F405
