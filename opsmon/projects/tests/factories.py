from django.utils import timezone

from opsmon.opportunities.services import opportunity_convert
from opsmon.opportunities.tests import factories as opportunity_factories
from opsmon.projects import services


def converted_project(org, owner="rep1", **overrides):
    """A project fresh from conversion (awaiting_lead)."""
    rep = org[owner]
    head = org["head1" if rep.department.name == "销售一部" else "head2"]
    opportunity = opportunity_factories.opportunity(rep, **overrides)
    _, project = opportunity_convert(actor=head, opportunity=opportunity)
    return project


REVIEW = {"technical_assessment": "现有平台可扩展，接口标准清晰。",
          "implementation_assessment": "需 3 名实施工程师驻场 2 个月。", "risks": "客户机房改造进度不确定。",
          "estimated_effort_days": "120", "conclusion": "feasible"}


def approved_project(org, owner="rep1"):
    project = converted_project(org, owner)
    head = org["head1" if owner in ("rep1", "rep1b") else "head2"]
    project = services.project_assign_lead(actor=head, project=project, tech_lead=org["lead1"])
    services.feasibility_save(actor=org["lead1"], project=project, **REVIEW)
    project = services.project_submit_feasibility(actor=org["lead1"], project=project)
    return services.project_approve(actor=head, project=project, comment="同意")


def today():
    return timezone.localdate()
