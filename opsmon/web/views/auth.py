"""Login and logout pages; axes throttles failures."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from opsmon.core.errors import TooManyAttempts
from opsmon.directory.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm  # says so when the company directory could not answer (issue 23)


def locked_out(request, credentials, *args, **kwargs):
    """Shown by axes instead of checking the password once an account+address is locked."""
    if request.path.startswith("/api/"):
        return JsonResponse(TooManyAttempts().as_dict(), status=429)
    form = AuthenticationForm(request, data=request.POST or None)
    form.errors.clear()
    return render(
        request, "web/login.html",
        {"form": form, "locked_out": _("Too many failed attempts. Try again in 15 minutes or ask an administrator.")},
        status=429,
    )


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default), so a link cannot log a user out."""
