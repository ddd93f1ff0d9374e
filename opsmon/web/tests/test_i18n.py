"""Every user-facing string has a Simplified-Chinese translation, compiled and up to date."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2]
PO = PACKAGE / "locale/zh_Hans/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po if not e.translated()]
    assert untranslated == []


def test_compiled_catalogue_matches_the_source():
    po = {e.msgid: e.msgstr for e in polib.pofile(str(PO)) if e.translated()}
    mo = {e.msgid: e.msgstr for e in polib.mofile(str(MO)) if e.msgid}
    assert mo == po


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools not installed (CI installs them)")
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    backup = tmp_path / "django.po"
    shutil.copy(PO, backup)
    try:
        subprocess.run([sys.executable, str(PACKAGE.parent / "manage.py"), "makemessages", "-l", "zh_Hans",
                        "--no-obsolete", "-i", "static/*", "-i", "tests/*"],
                       cwd=PACKAGE, check=True, capture_output=True, timeout=300)
        fresh = {e.msgid for e in polib.pofile(str(PO))}
    finally:
        shutil.copy(backup, PO)
    known = {e.msgid for e in polib.pofile(str(PO))}
    assert fresh - known == set()
