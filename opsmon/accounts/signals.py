"""Audit of logins: every success and failure goes to the `opsmon.audit` log."""

import logging
import time

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

audit = logging.getLogger("opsmon.audit")


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session["started_at"] = int(time.time())
    audit.info("login ok user=%s ip=%s", user.username, _address(request))


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    audit.warning("login failed user=%s ip=%s", credentials.get("username", ""), _address(request))
