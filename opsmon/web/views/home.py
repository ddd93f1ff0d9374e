from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from opsmon.accounts.roles import Role


@login_required
def home(request):
    """The workbench: who you are, your roles and where to go."""
    labels = [Role(r).label for r in sorted(request.user.roles) if r in Role.values]
    return render(request, "web/home.html", {"role_labels": labels})
