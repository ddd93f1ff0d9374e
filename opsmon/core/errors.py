"""One error vocabulary: services raise these, the API and the web turn them into answers."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A refusal a user can understand; `code` is stable, `message` is translated."""

    status = 400
    default_code = "bad_request"
    default_message = _("The request could not be processed.")

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None):
        self.message = message if message is not None else self.default_message
        self.code = code or self.default_code
        self.fields = {k: [str(m) for m in (v if isinstance(v, list | tuple) else [v])]
                       for k, v in (fields or {}).items()}
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": str(self.message), "fields": self.fields}}


class Malformed(ApplicationError):
    status = 400
    default_code = "malformed"
    default_message = _("The request is malformed.")


class NotAuthenticated(ApplicationError):
    status = 401
    default_code = "not_authenticated"
    default_message = _("Authentication is required.")


class PermissionDenied(ApplicationError):
    status = 403
    default_code = "permission_denied"
    default_message = _("You do not have permission to do this.")


class NotFound(ApplicationError):
    status = 404
    default_code = "not_found"
    default_message = _("Not found.")


class Conflict(ApplicationError):
    status = 409
    default_code = "conflict"
    default_message = _("The record was changed by someone else or is in the wrong state.")


class StaleVersion(Conflict):
    default_code = "stale_version"
    default_message = _("The record was changed by someone else; reload it and try again.")


class TooLarge(ApplicationError):
    status = 413
    default_code = "too_large"
    default_message = _("The upload is too large.")


class Invalid(ApplicationError):
    status = 422
    default_code = "invalid"
    default_message = _("Some fields are not valid.")


class Unavailable(ApplicationError):
    status = 503
    default_code = "unavailable"
    default_message = _("The service is temporarily unavailable; try again shortly.")


class TooManyAttempts(ApplicationError):
    status = 429
    default_code = "locked_out"
    default_message = _("Too many failed attempts; try again later.")
