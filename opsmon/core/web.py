"""Small pieces the web views share: role checks, putting a service's refusal on a form, and the one shape of a
POST action on a detail page."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from .errors import ApplicationError, Malformed
from .forms import check_text_fields


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
    for field, texts in error.fields.items():
        if field in form.fields:
            for message in texts:
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
        check_text_fields(self)  # core.text: control, bidi and only-invisible characters refused on every form


def place_error(form, error: ApplicationError) -> None:
    """`form.apply_error(error)` when the form places errors itself (e.g. on rows of its formset), else
    `apply_error`."""
    placer = getattr(form, "apply_error", None)
    if placer is not None:
        placer(error)
    else:
        apply_error(form, error)


def form_action(request, *, load: Callable, run: Callable, page: Callable, redirect_to: str,
                message, bind: Callable | None = None, form_name: str = "form"):
    """One POST action of a detail page: load the record, bind the form, call one service, answer.

    - `load()` gets the record through its selector (404 when not visible). It runs again after a refusal, so the
      page shows the record as the database has it: a refused command changed nothing.
    - `bind(record)` returns the bound form, or None for a button without input. Input the form refuses re-renders
      the page with 400 and never reaches the service.
    - `run(record, form)` calls one service and returns its result. A refusal (`ApplicationError`) re-renders the
      page with its status, the message on top and next to the fields it names.
    - `page(record, *, error, status, forms)` renders the detail page; `forms` is {form_name: the bound form}, so
      the failing form keeps what the user typed.
    - On success: `message` (text, or a callable of the result) as a flash message, and a redirect to `redirect_to`.
    """
    record = load()
    form = bind(record) if bind is not None else None
    forms = {form_name: form} if form is not None else {}
    if form is not None and not form.is_valid():
        return page(record, error=Malformed(_("Some fields are not valid.")), status=400, forms=forms)
    try:
        result = run(record, form)
    except ApplicationError as error:
        if form is not None:
            place_error(form, error)
        return page(load(), error=error, status=error.status, forms=forms)
    messages.success(request, message(result) if callable(message) else message)
    return redirect(redirect_to)


def page_or_partial(request, template: str, partial: str, context: dict, *, status: int = 200):
    """The whole page, or only `partial` when htmx asks for a part of it (not for a boosted navigation, nor when
    htmx restores a page from history and needs all of it)."""
    htmx = getattr(request, "htmx", None)
    chosen = partial if htmx and not htmx.boosted and not htmx.history_restore_request else template
    response = render(request, chosen, context, status=status)
    patch_vary_headers(response, ("HX-Request",))  # caches keep the page and the partial apart
    return response
