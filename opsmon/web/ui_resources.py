"""The view descriptions of the existing resources (core.ui), registered once the apps are ready: what the desktop
client draws its lists, record pages and action dialogs from. Labels are the models' own words, so the client says
what the web pages say. A new module registers its own resources the same way; the client needs no change."""

from django.utils.translation import gettext_lazy as _

from opsmon.approvals.models import Review, ReviewStep
from opsmon.bids.choices import BondKind, Decision, DocumentKind
from opsmon.bids.models import Bid, BidDocument, BidOpening, BidSummary, Bond, OpeningEntry
from opsmon.contracts.choices import AttachmentKind
from opsmon.contracts.models import Amendment, Contract, Milestone
from opsmon.core.forms import field_label
from opsmon.core.models import TimelineEntry
from opsmon.core.ui import Action, Field, Related, Resource, Section, register
from opsmon.customers.models import Contact, Customer
from opsmon.guarantees.choices import LetterStatus
from opsmon.guarantees.models import GuaranteeLetter
from opsmon.opportunities.models import FollowUp, Opportunity
from opsmon.payments.ui import PAYMENT_REQUESTS, RETENTIONS
from opsmon.procurement.ui import PURCHASE_REQUESTS
from opsmon.projects.choices import Conclusion, Route
from opsmon.projects.models import FeasibilityReview, Project
from opsmon.purchasing.ui import PURCHASE_ORDERS
from opsmon.sourcing.ui import SOURCINGS
from opsmon.supplier_invoices.ui import SUPPLIER_INVOICES


def f(model, name: str, kind: str = "text", *, path: str | None = None, **kw) -> Field:
    """A field labelled with `model`'s verbose name of `name`; `path` is where the value is in the record or the
    body when it differs from the model field's name ("customer.name", "customer_id")."""
    return Field(path or name, field_label(model, name), kind, **kw)


def choices(text_choices) -> tuple:
    return tuple(text_choices.choices)


def status_of(model, name: str = "status", path: str | None = None) -> Field:
    """A coded field shown with its label (the model field's choices)."""
    return f(model, name, "choice", path=path, choices=tuple(model._meta.get_field(name).choices))


# Shared body fields
COMMENT = Field("comment", _("Comment"), "longtext")
REASON = Field("reason", _("Reason"), "longtext")
CREATED = f(Customer, "created_at", "datetime")


def timeline(resource: str) -> Related:
    return Related("timeline", _("Timeline"), f"/{resource}/{{id}}/timeline", (
        f(TimelineEntry, "at", "datetime"), f(TimelineEntry, "actor", path="actor.display_name"),
        f(TimelineEntry, "action"), f(TimelineEntry, "to_status"),
        f(TimelineEntry, "comment")))


# --- customers --------------------------------------------------------------------------------------------------

CUSTOMER_FIELDS = (
    f(Customer, "name"), f(Customer, "customer_type", "code", table="customer_type"),
    f(Customer, "credit_code"), f(Customer, "industry", "code", table="industry"),
    f(Customer, "region", "code", table="region"), f(Customer, "address"),
    Field("contacts", Contact._meta.verbose_name_plural, "rows"),
)
CUSTOMERS = Resource(
    name="customers", path="/customers", title=_("Customers"), item_title=Customer._meta.verbose_name,
    record_type="customer", number_field="credit_code", title_field="name", status_field="customer_type.label",
    columns=(f(Customer, "name"), f(Customer, "customer_type", path="customer_type.label"),
             f(Customer, "industry", path="industry.label"), f(Customer, "region", path="region.label"),
             f(Customer, "owner", path="owner.display_name")),
    filters=(f(Customer, "customer_type", "code", table="customer_type"), f(Customer, "industry", "code",
                                                                             table="industry"),
             f(Customer, "region", "code", table="region")),
    sections=(Section(Customer._meta.verbose_name, (
        f(Customer, "name"), f(Customer, "credit_code"), f(Customer, "customer_type", path="customer_type.label"),
        f(Customer, "industry", path="industry.label"), f(Customer, "region", path="region.label"),
        f(Customer, "address"), f(Customer, "owner", path="owner.display_name"), CREATED)),),
    related=(Related("contacts", Contact._meta.verbose_name_plural, "", (
        f(Contact, "name"), f(Contact, "title"), f(Contact, "phone"), f(Contact, "email")), expand="contacts"),),
    actions=(Action("edit", _("Edit"), "/customers/{id}", "PATCH", "CustomerPatch", CUSTOMER_FIELDS,
                    prefill="record"),),
    create=Action("create", _("New customer"), "/customers", "POST", "CustomerIn", CUSTOMER_FIELDS),
    create_roles=("sales_rep", "dept_head", "market_head", "admin"),
    order=10,
)

# --- opportunities ----------------------------------------------------------------------------------------------

OPPORTUNITY_FIELDS = (
    f(Opportunity, "title"), f(Opportunity, "customer", "ref", path="customer_id", resource="customers"),
    f(Opportunity, "estimated_amount", "money"), f(Opportunity, "expected_close_date", "date"),
    f(Opportunity, "currency", "code", table="currency"),
    f(Opportunity, "source", "code", table="opportunity_source"), f(Opportunity, "industry", "code", table="industry"),
    f(Opportunity, "region", "code", table="region"), f(Opportunity, "stage", "code", table="opportunity_stage"),
    f(Opportunity, "description", "longtext"), f(Opportunity, "members", "users", path="member_ids"),
)
OPPORTUNITIES = Resource(
    name="opportunities", path="/opportunities", title=_("Opportunities"), item_title=Opportunity._meta.verbose_name,
    record_type="opportunity",
    columns=(f(Opportunity, "number"), f(Opportunity, "title"), f(Opportunity, "customer", path="customer.name"),
             f(Opportunity, "stage", path="stage.label"), f(Opportunity, "estimated_amount", "money"),
             f(Opportunity, "expected_close_date", "date"), f(Opportunity, "status", path="status_label"),
             f(Opportunity, "owner", path="owner.display_name")),
    filters=(f(Opportunity, "status", "choice", choices=tuple(Opportunity._meta.get_field("status").choices)),
             f(Opportunity, "stage", "code", table="opportunity_stage"),
             f(Opportunity, "industry", "code", table="industry"), f(Opportunity, "region", "code", table="region"),
             Field("followup_due", _("Follow-up due"), "bool")),
    sections=(
        Section(Opportunity._meta.verbose_name, (
            f(Opportunity, "customer", path="customer.name"), f(Opportunity, "estimated_amount", "money"),
            f(Opportunity, "currency"), f(Opportunity, "expected_close_date", "date"),
            f(Opportunity, "stage", path="stage.label"), f(Opportunity, "probability", "integer"),
            f(Opportunity, "source", path="source.label"), f(Opportunity, "industry", path="industry.label"),
            f(Opportunity, "region", path="region.label"), f(Opportunity, "owner", path="owner.display_name"),
            f(Opportunity, "department", path="department.name"),
            f(Opportunity, "members", "users", path="members"),
            f(Opportunity, "next_followup_on", "date"), f(Opportunity, "close_reason", path="close_reason.label"),
            f(Opportunity, "description", "longtext"))),),
    related=(
        Related("follow_ups", FollowUp._meta.verbose_name_plural, "/opportunities/{id}/follow-ups", (
            f(FollowUp, "happened_on", "date", path="happened_at"), f(FollowUp, "kind", path="kind.label"),
            f(FollowUp, "note"), f(FollowUp, "next_step"), f(FollowUp, "next_date", "date"),
            f(FollowUp, "author", path="author.display_name"))),
        timeline("opportunities")),
    actions=(
        Action("edit", _("Edit"), "/opportunities/{id}", "PATCH", "OpportunityPatch", OPPORTUNITY_FIELDS,
               prefill="record"),
        Action("add_follow_up", _("Add follow-up"), "/opportunities/{id}/follow-ups", "POST", "FollowUpIn", (
            f(FollowUp, "happened_on", "date", path="happened_at"), f(FollowUp, "kind", "code", table="followup_kind"),
            f(FollowUp, "note", "longtext"), f(FollowUp, "next_step"), f(FollowUp, "next_date", "date"))),
        Action("request_conversion", _("Request conversion"), "/opportunities/{id}/request-conversion", "POST",
               "CommentIn", (COMMENT,)),
        Action("convert", _("Convert to project"), "/opportunities/{id}/convert", "POST", "CommentIn", (COMMENT,)),
        Action("keep_tracking", _("Keep tracking"), "/opportunities/{id}/keep-tracking", "POST", "CommentIn",
               (COMMENT,)),
        Action("close", _("Close"), "/opportunities/{id}/close", "POST", "CloseIn", (
            f(Opportunity, "close_reason", "code", path="reason", table="close_reason"), COMMENT)),
        Action("reopen", _("Reopen"), "/opportunities/{id}/reopen", "POST", "CommentIn", (COMMENT,)),
    ),
    create=Action("create", _("New opportunity"), "/opportunities", "POST", "OpportunityIn", OPPORTUNITY_FIELDS),
    create_roles=("sales_rep", "dept_head", "admin"),
    export="/opportunities/export.xlsx",
    order=20,
)

# --- projects ---------------------------------------------------------------------------------------------------

FEASIBILITY_FIELDS = (
    f(FeasibilityReview, "technical_assessment", "longtext"),
    f(FeasibilityReview, "implementation_assessment", "longtext"), f(FeasibilityReview, "risks", "longtext"),
    f(FeasibilityReview, "estimated_effort_days", "number"),
    f(FeasibilityReview, "conclusion", "choice", choices=choices(Conclusion)),
)
PROJECTS = Resource(
    name="projects", path="/projects", title=_("Projects"), item_title=Project._meta.verbose_name,
    record_type="project",
    columns=(f(Project, "number"), f(Project, "title"), f(Project, "customer", path="customer.name"),
             f(Project, "estimated_amount", "money"), f(Project, "status", path="status_label"),
             f(Project, "tech_lead", path="tech_lead.display_name"), f(Project, "owner", path="owner.display_name")),
    filters=(f(Project, "status", "choice", choices=tuple(Project._meta.get_field("status").choices)),),
    sections=(Section(Project._meta.verbose_name, (
        f(Project, "opportunity", path="opportunity.number"), f(Project, "customer", path="customer.name"),
        f(Project, "estimated_amount", "money"), f(Project, "currency"), f(Project, "owner", path="owner.display_name"),
        f(Project, "department", path="department.name"), f(Project, "tech_lead", path="tech_lead.display_name"),
        f(Project, "members", "users", path="members"), f(Project, "routed_to"), f(Project, "cancel_reason"),
        f(Project, "close_reason"), f(Project, "delivery_percent", "integer"))),),
    related=(timeline("projects"),),
    actions=(
        Action("edit", _("Edit"), "/projects/{id}", "PATCH", "ProjectPatch", (f(Project, "title"),),
               prefill="record"),
        Action("assign_lead", _("Assign technical lead"), "/projects/{id}/assign-lead", "POST", "AssignLeadIn",
               (f(Project, "tech_lead", "user", path="tech_lead_id", role="tech_lead"),)),
        Action("save_feasibility", FeasibilityReview._meta.verbose_name, "/projects/{id}/feasibility", "PUT",
               "FeasibilityIn", FEASIBILITY_FIELDS, prefill="/projects/{id}/feasibility"),
        Action("submit_feasibility", _("Submit for approval"), "/projects/{id}/submit-feasibility", "POST",
               confirm=True),
        Action("approve", _("Approve"), "/projects/{id}/approve", "POST", "CommentIn", (COMMENT,)),
        Action("send_back", _("Send back"), "/projects/{id}/send-back", "POST", "CommentIn", (COMMENT,)),
        Action("reject", _("Reject"), "/projects/{id}/reject", "POST", "CommentIn", (COMMENT,)),
        *(Action(f"route_{to}", label, "/projects/{id}/route", "POST", "ProjectRouteIn", fixed={"to": to},
                 confirm=True) for to, label in Route.choices),
        Action("cancel", _("Cancel the project"), "/projects/{id}/cancel", "POST", "ReasonIn", (REASON,)),
        Action("retender", _("Bid again"), "/projects/{id}/retender", "POST", confirm=True),
        Action("close", _("Close the project as lost"), "/projects/{id}/close", "POST", "ReasonIn", (REASON,)),
    ),
    order=30,
)

# --- bids and bonds ---------------------------------------------------------------------------------------------

BOND_FIELDS = (
    f(Bond, "kind", "choice", choices=choices(BondKind)), f(Bond, "amount", "money"),
    f(Bond, "currency", "code", table="currency"), f(Bond, "method", "code", table="bond_method"),
    f(Bond, "due_on", "date"),
)
BIDS = Resource(
    name="bids", path="/bids", title=_("Bids"), item_title=Bid._meta.verbose_name, record_type="bid",
    columns=(f(Bid, "number"), f(Bid, "title"), f(Opportunity, "customer"), f(Bid, "tenderer"),
             f(Bid, "submission_deadline", "datetime"), f(Bid, "status", path="status_label"),
             f(Bid, "owner", path="owner.display_name")),
    filters=(f(Bid, "status", "choice", choices=tuple(Bid._meta.get_field("status").choices)),),
    sections=(
        Section(Bid._meta.verbose_name, (
            f(Bid, "opportunity", path="opportunity.number"), f(Bid, "project", path="project.number"),
            f(Opportunity, "customer"), f(Bid, "owner", path="owner.display_name"), f(Bid, "department"))),
        Section(_("Tender analysis"), (
            f(Bid, "tenderer"), f(Bid, "agency"), f(Bid, "tender_no"), f(Bid, "tender_method", path="tender_method"),
            f(Bid, "estimated_price", "money"), f(Bid, "ceiling_price", "money"),
            f(Bid, "submission_deadline", "datetime"), f(Bid, "opening_at", "datetime"),
            f(Bid, "scoring_method"), f(Bid, "qualification_requirements", "longtext"), f(Bid, "risks", "longtext"),
            status_of(Bid, "decision"), f(Bid, "decision_reason"), f(Bid, "abandon_reason"))),
    ),
    related=(
        Related("documents", _("Documents"), "/bids/{id}/documents", (
            status_of(BidDocument, "kind"), f(BidDocument, "name"), f(BidDocument, "version", "integer"),
            f(BidDocument, "uploaded_by", path="uploaded_by.display_name"),
            f(BidDocument, "uploaded_at", "datetime")), download="/bids/documents/{row.id}/download"),
        Related("bonds", Bond._meta.verbose_name_plural, "/bids/{id}/bonds", (
            status_of(Bond, "kind"), f(Bond, "amount", "money"), f(Bond, "method", path="method.label"),
            status_of(Bond), f(Bond, "due_on", "date"), f(Bond, "paid_on", "date"))),
        timeline("bids"),
    ),
    actions=(
        Action("edit", _("Edit"), "/bids/{id}", "PATCH", "BidPatch", (f(Bid, "title"),), prefill="record"),
        Action("save_analysis", _("Edit the tender analysis"), "/bids/{id}/tender-analysis", "PUT",
               "TenderAnalysisIn", (
                   f(Bid, "tenderer"), f(Bid, "agency"), f(Bid, "tender_no"),
                   f(Bid, "tender_method", "code", table="tender_method"), f(Bid, "estimated_price", "money"),
                   f(Bid, "ceiling_price", "money"), f(Bid, "currency", "code", table="currency"),
                   f(Bid, "submission_deadline", "datetime"), f(Bid, "opening_at", "datetime"),
                   f(Bid, "qualification_requirements", "longtext"),
                   f(Bid, "scoring_method", "code", table="scoring_method"), f(Bid, "risks", "longtext"),
                   f(Bid, "decision", "choice", choices=choices(Decision)), f(Bid, "decision_reason", "longtext")),
               prefill="record"),
        Action("upload_document", _("Upload"), "/bids/{id}/documents", "POST", "", (
            f(BidDocument, "kind", "choice", choices=choices(DocumentKind)),
            Field("file", field_label(BidDocument, "file"), "file"))),
        Action("start_preparation", _("Start preparation"), "/bids/{id}/start-preparation", confirm=True),
        Action("submit", _("Submit the bid"), "/bids/{id}/submit", confirm=True),
        Action("record_opening", BidOpening._meta.verbose_name, "/bids/{id}/opening", "PUT", "OpeningIn", (
            f(BidOpening, "opened_at", "datetime"), f(BidOpening, "winner"),
            Field("entries", OpeningEntry._meta.verbose_name, "rows"))),
        Action("mark_won", _("Won"), "/bids/{id}/mark-won", confirm=True),
        Action("mark_lost", _("Lost"), "/bids/{id}/mark-lost", confirm=True),
        Action("create_contract", _("Draft the contract"), "/bids/{id}/create-contract", confirm=True),
        Action("save_summary", _("Edit the summary report"), "/bids/{id}/summary", "PUT", "SummaryIn", (
            f(BidSummary, "person_days", "number"), f(BidSummary, "cost", "money"),
            f(BidSummary, "outcome_reason", "longtext"), f(BidSummary, "lessons", "longtext"),
            f(BidSummary, "bond_note")), prefill="/bids/{id}/summary"),
        Action("close", _("Close the bid"), "/bids/{id}/close", confirm=True),
        Action("abandon", _("Abandon the bid"), "/bids/{id}/abandon", "POST", "ReasonIn", (REASON,)),
        Action("plan_bond", Bond._meta.verbose_name, "/bids/{id}/bonds", "POST", "BondIn", BOND_FIELDS),
    ),
    create=Action("create", _("Register a bid"), "/bids", "POST", "BidIn", (
        f(Bid, "opportunity", "ref", path="opportunity_id", resource="opportunities"),
        f(Bid, "project", "ref", path="project_id", resource="projects"), f(Bid, "title"))),
    create_roles=("bid_assistant", "sales_rep", "dept_head", "admin"),
    order=40,
)

BONDS = Resource(
    name="bonds", path="/bonds", title=_("Bonds"), item_title=Bond._meta.verbose_name, record_type="bond",
    number_field="bid.number", title_field="bid.title", status_field="status", search=False, detail_path="",
    columns=(Field("bid.number", Bid._meta.verbose_name), status_of(Bond, "kind"), f(Bond, "amount", "money"),
             f(Bond, "method", path="method.label"), status_of(Bond), f(Bond, "due_on", "date"),
             f(Bond, "paid_on", "date"), f(Bond, "refunded_on", "date")),
    filters=(f(Bond, "status", "choice", choices=tuple(Bond._meta.get_field("status").choices)),
             f(Bond, "kind", "choice", choices=choices(BondKind)), Field("overdue", _("Overdue"), "bool")),
    sections=(Section(Bond._meta.verbose_name, (
        Field("bid.number", Bid._meta.verbose_name), status_of(Bond, "kind"), f(Bond, "amount", "money"),
        f(Bond, "currency"), f(Bond, "method", path="method.label"), status_of(Bond), f(Bond, "due_on", "date"),
        f(Bond, "paid_on", "date"), f(Bond, "reference"), f(Bond, "refunded_on", "date"),
        f(Bond, "refunded_principal", "money"), f(Bond, "refund_interest", "money"), f(Bond, "forfeit_reason"))),),
    actions=(
        Action("pay", _("Record payment"), "/bonds/{id}/pay", "POST", "PayIn", (
            f(Bond, "paid_on", "date"), f(Bond, "reference"))),
        Action("refund", _("Refund"), "/bonds/{id}/refund", "POST", "RefundIn", (
            f(Bond, "refunded_on", "date"), f(Bond, "refunded_principal", "money", path="amount"),
            f(Bond, "refund_interest", "money", path="interest"))),
        Action("forfeit", _("Forfeit"), "/bonds/{id}/forfeit", "POST", "ReasonIn", (
            f(Bond, "forfeit_reason", "longtext", path="reason"),)),
        Action("convert_to_performance", _("Convert to performance bond"), "/bonds/{id}/convert-to-performance",
               confirm=True),
    ),
    export="/bonds/export.xlsx",
    order=50,
)

# --- contracts --------------------------------------------------------------------------------------------------

TERMS_FIELDS = (
    f(Contract, "title"), f(Contract, "contract_type", "code", table="contract_type"), f(Contract, "amount", "money"),
    f(Contract, "currency", "code", table="currency"), f(Contract, "tax_rate", "number"),
    f(Contract, "start_on", "date"), f(Contract, "end_on", "date"), f(Contract, "terms", "longtext"),
    Field("milestones", Milestone._meta.verbose_name_plural, "rows"),
)
CONTRACTS = Resource(
    name="contracts", path="/contracts", title=_("Contracts"), item_title=Contract._meta.verbose_name,
    record_type="contract",
    columns=(f(Contract, "number"), f(Contract, "title"), f(Contract, "customer", path="customer.name"),
             f(Contract, "contract_type", path="contract_type.label"), f(Contract, "amount", "money"),
             f(Contract, "status", path="status_label"), f(Contract, "signed_on", "date"),
             f(Contract, "owner", path="owner.display_name")),
    filters=(f(Contract, "status", "choice", choices=tuple(Contract._meta.get_field("status").choices)),
             f(Contract, "contract_type", "code", table="contract_type")),
    sections=(
        Section(Contract._meta.verbose_name, (
            f(Contract, "customer", path="customer.name"), f(Contract, "opportunity", path="opportunity.number"),
            f(Contract, "project", path="project.number"), f(Contract, "bid", path="bid.number"),
            f(Contract, "contract_type", path="contract_type.label"), f(Contract, "amount", "money"),
            f(Contract, "currency"), f(Contract, "tax_rate"), f(Contract, "start_on", "date"),
            f(Contract, "end_on", "date"), f(Contract, "owner", path="owner.display_name"),
            f(Contract, "department", path="department.name"), f(Contract, "signed_on", "date"),
            Field("current_step.kind.label", ReviewStep._meta.verbose_name), f(Contract, "terms", "longtext"))),
    ),
    related=(
        Related("reviews", _("Contract review"), "/contracts/{id}/reviews", (
            f(Review, "round", "integer"), f(ReviewStep, "position", "integer"),
            f(ReviewStep, "kind", path="kind.label"), status_of(ReviewStep), Field("deciders", _("Deciders"), "users"),
            f(ReviewStep, "decided_at", "datetime")), expand="steps"),
        Related("milestones", Milestone._meta.verbose_name_plural, "", (
            f(Milestone, "name"), f(Milestone, "due_on", "date"), f(Milestone, "condition"),
            f(Milestone, "amount", "money"), f(Milestone, "percentage")), expand="milestones"),
        Related("attachments", _("Documents"), "/contracts/{id}/attachments", (
            Field("kind", _("Kind"), "choice", choices=choices(AttachmentKind)), Field("name", _("Name")),
            f(BidDocument, "uploaded_by", path="uploaded_by.display_name"), f(BidDocument, "uploaded_at", "datetime")),
            download="/contracts/attachments/{row.id}/download"),
        Related("amendments", Amendment._meta.verbose_name_plural, "/contracts/{id}/amendments", (
            f(Amendment, "number", "integer"), f(Amendment, "reason"), status_of(Amendment),
            f(Amendment, "proposed_by", path="proposed_by.display_name"), f(Amendment, "created_at", "datetime"))),
        timeline("contracts"),
    ),
    actions=(
        Action("edit", _("Edit the draft"), "/contracts/{id}", "PATCH", "ContractPatch", TERMS_FIELDS,
               prefill="record"),
        Action("upload_attachment", _("Upload"), "/contracts/{id}/attachments", "POST", "", (
            Field("file", _("File"), "file"),)),
        Action("submit_review", _("Submit for review"), "/contracts/{id}/submit-review", confirm=True),
        Action("approve", _("Approve"), "/contracts/{id}/reviews/{current_step.id}/approve", "POST",
               "DecisionIn", (COMMENT,)),
        Action("reject", _("Reject"), "/contracts/{id}/reviews/{current_step.id}/reject", "POST", "DecisionIn",
               (COMMENT,)),
        Action("sign", _("Sign the approved contract"), "/contracts/{id}/sign", "POST", "", (
            f(Contract, "signed_on", "date"), Field("signed_copy", _("Signed copy"), "file"))),
        Action("archive", _("Archive the contract"), "/contracts/{id}/archive", confirm=True),
        Action("terminate", _("Terminate the contract"), "/contracts/{id}/terminate", "POST", "ReasonIn",
               (f(Contract, "terminate_reason", "longtext", path="reason"),)),
        Action("propose_amendment", Amendment._meta.verbose_name, "/contracts/{id}/amendments", "POST",
               "AmendmentIn", (f(Amendment, "changes", "json"), f(Amendment, "reason", "longtext"))),
    ),
    create=Action("create", _("New contract"), "/contracts", "POST", "ContractIn", (
        f(Contract, "opportunity", "ref", path="opportunity_id", resource="opportunities"), *TERMS_FIELDS)),
    create_roles=("sales_rep", "dept_head"),
    export="/contracts/export.xlsx",
    order=60,
)


# --- guarantee letters (issue 22) ------------------------------------------------------------------------------

G = GuaranteeLetter
GUARANTEE_LETTERS = Resource(
    name="guarantee-letters", path="/guarantee-letters", title=_("Guarantee letters"), item_title=G._meta.verbose_name,
    record_type="guarantee_letter", title_field="bank",
    columns=(f(G, "number"), f(G, "bank"), f(G, "beneficiary"), f(G, "amount", "money"), f(G, "valid_to", "date"),
             f(G, "status", path="status_label")),
    filters=(f(G, "status", "choice", choices=choices(LetterStatus)),
             Field("expiring_within", _("Expiring within (days)"), "integer")),
    sections=(Section(G._meta.verbose_name, (
        f(G, "number"), f(G, "bank"), f(G, "beneficiary"), f(G, "amount", "money"), f(G, "currency"),
        f(G, "valid_from", "date"), f(G, "valid_to", "date"), f(G, "status", path="status_label"),
        f(G, "released_on", "date"))),),
    related=(timeline("guarantee-letters"),),
    actions=(
        Action("extend", _("Extend"), "/guarantee-letters/{id}/extend", "POST", "ExtendIn", (
            f(G, "valid_to", "date"), Field("note", _("Note"), "longtext"))),
        Action("release", _("Release"), "/guarantee-letters/{id}/release", "POST", "ReleaseIn", (
            f(G, "released_on", "date"),), confirm=True),
    ),
    order=55,
)


# --- receivables (issue 22): one row per contract milestone, no detail of its own -------------------------------

RECEIVABLES = Resource(
    name="receivables", path="/receivables", title=_("Receivables"), item_title=_("Receivable"),
    record_type="", number_field="contract.number", title_field="contract_title", status_field="bucket",
    columns=(Field("contract.number", Contract._meta.verbose_name), Field("customer.name", _("Customer")),
             Field("owner.display_name", _("Owner")), Field("amount", _("Planned amount"), "money"),
             Field("invoiced", _("Invoiced"), "money"), Field("collected", _("Collected"), "money"),
             Field("outstanding", _("Outstanding"), "money"), Field("due", _("Due"), "date"),
             Field("days_overdue", _("Days overdue"), "integer")),
    filters=(Field("overdue", _("Overdue"), "bool"),
             Field("bucket", _("Ageing"), "choice", choices=(("0-30", "0–30"), ("31-90", "31–90"),
                                                              ("91-180", "91–180"), ("180+", ">180")))),
    detail_path="",
    order=65,
)


def register_all() -> None:
    for resource in (CUSTOMERS, OPPORTUNITIES, PROJECTS, BIDS, BONDS, GUARANTEE_LETTERS, CONTRACTS, RECEIVABLES,
                     PURCHASE_REQUESTS):
        register(resource)
    register(SOURCINGS)
    register(PURCHASE_ORDERS)
    register(SUPPLIER_INVOICES)
    register(PAYMENT_REQUESTS)
    register(RETENTIONS)
