from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "opsmon.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from opsmon.core import links

        from . import events, inbox, receivers  # noqa: F401 - register the events and the inbox provider
        from .models import Project
        from .selectors import visible_projects

        # Other pages link to these records only where the viewer may open them (core.links).
        links.register(Project, visible=visible_projects, url_name="projects:detail")
