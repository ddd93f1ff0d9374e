"""Small pieces the web views share: role checks and putting a service's refusal on a form."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

from .errors import ApplicationError


def role_required(*roles):
    """Log in first; then a user without any of `roles` gets the 403 page."""
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise DjangoPermissionDenied
            return view(request, *args, **kwargs)
        return wrapper
    return decorator


def apply_error(form, error: ApplicationError) -> None:
    """Show a service refusal next to the fields it names, or on top of the form."""
    placed = False
    for field, messages in error.fields.items():
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed or not error.fields:
        form.add_error(None, str(error.message))


class StyledForm:
    """Mixin: gives widgets Tabler's classes so templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            input_type = getattr(field.widget, "input_type", None)
            if input_type in ("checkbox", "radio"):
                css = "form-check-input"
            elif input_type == "select":
                css = "form-select"
            else:
                css = "form-control"
            field.widget.attrs.setdefault("class", css)
