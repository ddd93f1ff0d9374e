"""Static files as `opsmon serve` hands them out (issue 20, item 18): pages name them under hashed names, and they
come compressed and cached for a year, both in production and with the development settings that `make run` and
the demo servers use with DEBUG off. (The test settings keep plain names: nothing is collected for the suite.)"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

PROBE = textwrap.dedent("""
    import json, re
    import django
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    call_command("collectstatic", interactive=False, verbosity=0)
    html = Client().get("/login/", HTTP_HOST="127.0.0.1").content.decode()
    css = re.search(r'href="(/static/vendor/tabler/tabler[^"]*\\.css)"', html).group(1)
    answer = Client().get(css, HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
    print(json.dumps({"backend": settings.STORAGES["staticfiles"]["BACKEND"], "css": css,
                      "status": answer.status_code, "cache": answer.headers.get("Cache-Control", ""),
                      "encoding": answer.headers.get("Content-Encoding", "")}))
""")


@pytest.mark.parametrize("profile", ["development", "production"])
def test_pages_name_hashed_static_files_sent_compressed_and_cached_long(tmp_path, profile):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "OPSMON_"))}
    env.pop("DATABASE_URL", None)
    env.update({"DJANGO_SETTINGS_MODULE": f"opsmon.settings.{profile}", "DEBUG": "false",
                "OPSMON_VAR_DIR": str(tmp_path), "STATIC_ROOT": str(tmp_path / "static"),
                "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false",
                "SECRET_KEY": "static-files-test-key-0123456789-0123456789-0123456789"})
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["backend"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert found["css"].startswith("/static/vendor/tabler/tabler.min.") and found["css"] != \
        "/static/vendor/tabler/tabler.min.css"  # a hashed name
    assert found["status"] == 200 and found["encoding"] == "gzip"
    assert "immutable" in found["cache"] and "max-age=315360000" in found["cache"]
