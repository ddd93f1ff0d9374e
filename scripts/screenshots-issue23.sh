#!/usr/bin/env bash
# The screenshots of the directory-mapping, group-robot and notification-settings pages in docs/screenshots/
# (README, docs/operations.md): the browser test of those pages, with Debian's Chromium, keeping its pictures.
# Needs fonts-noto-cjk for the Chinese text (make system-test-deps installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
OPSMON_SCREENSHOTS="$PWD/docs/screenshots" env -u DATABASE_URL .venv/bin/python -m pytest -p no:cacheprovider -q \
  tests/e2e/test_enterprise_pages.py
ls -l docs/screenshots
