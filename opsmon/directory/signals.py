"""django-auth-ldap reports a directory failure (down, timeout, refused service bind) through its `ldap_error`
signal and then answers "no user"; this keeps the reason on the request."""

import logging

from django.dispatch import receiver
from django_auth_ldap.backend import ldap_error

from .backend import DirectoryBackend, report

log = logging.getLogger("opsmon.directory")


@receiver(ldap_error, sender=DirectoryBackend)
def on_ldap_error(sender, context, user, request, exception, **kwargs):
    log.warning("directory error %s: %s", context, exception)
    report(request, exception)
