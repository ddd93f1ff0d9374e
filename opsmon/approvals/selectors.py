"""Reads of the engine: a record's rounds, its current step, the records a user decides on, the routes."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Prefetch

from .choices import ReviewStatus, StepStatus
from .models import Review, ReviewStep, Route, StepDecider


def of_record(record: Model) -> dict:
    """The lookups of the rounds filed under `record`."""
    return {"record_type": ContentType.objects.get_for_model(record, for_concrete_model=True),
            "record_id": record.pk}


def rounds_of(record: Model):
    """Every round filed under `record`, oldest first, with steps and deciders (three queries)."""
    deciders = StepDecider.objects.select_related("user").order_by("id")
    steps = ReviewStep.objects.prefetch_related(Prefetch("deciders", queryset=deciders)).order_by("position")
    return (Review.objects.filter(**of_record(record)).select_related("started_by")
            .prefetch_related(Prefetch("steps", queryset=steps)).order_by("round"))


def current_round(record: Model, *, kind: str | None = None) -> Review | None:
    rounds = Review.objects.filter(**of_record(record), status=ReviewStatus.IN_REVIEW)
    if kind is not None:
        rounds = rounds.filter(kind=kind)
    return rounds.order_by("-round").first()


def current_step(record: Model) -> ReviewStep | None:
    """The step waiting for decisions in the record's open round, if any."""
    lookups = {f"review__{k}": v for k, v in of_record(record).items()}
    return (ReviewStep.objects.filter(**lookups, status=StepStatus.CURRENT, review__status=ReviewStatus.IN_REVIEW)
            .select_related("review").first())


def current_of(rounds) -> ReviewStep | None:
    """The current step among prefetched rounds (`rounds_of`), without a query."""
    for review in rounds:
        if review.status == ReviewStatus.IN_REVIEW:
            for step in review.steps.all():
                if step.status == StepStatus.CURRENT:
                    return step
    return None


def step_of(record: Model, step_id) -> ReviewStep | None:
    """One step of the record's rounds (None when it is another record's or does not exist)."""
    if not str(step_id).isdigit():
        return None
    lookups = {f"review__{k}": v for k, v in of_record(record).items()}
    return ReviewStep.objects.filter(pk=step_id, **lookups).select_related("review").first()


def decided_records(user, model: type[Model]):
    """Ids of the records of `model` on whose rounds `user` decides or decided a step (a values queryset, for
    `pk__in=` or a UNION)."""
    return (StepDecider.objects.filter(user=user.pk, step__review__record_type=ContentType.objects.get_for_model(
        model, for_concrete_model=True)).values("step__review__record_id"))


def waiting_for(user):
    """Current steps of open rounds waiting for `user`'s decision (the inbox)."""
    return (ReviewStep.objects.filter(status=StepStatus.CURRENT, review__status=ReviewStatus.IN_REVIEW,
                                      deciders__user=user.pk, deciders__decision="")
            .select_related("review").order_by("review__started_at", "id"))


def routes(kind: str | None = None):
    qs = Route.objects.select_related("department").prefetch_related("steps__users")
    return qs.filter(kind=kind) if kind else qs


def route_get(pk) -> Route | None:
    return routes().filter(pk=pk).first() if str(pk).isdigit() else None
