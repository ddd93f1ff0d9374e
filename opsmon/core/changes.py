"""How a module says it changes rows behind the ORM's back (QuerySet.update, bulk inserts, raw SQL), so higher
modules that keep something derived from them (summaries) stay exact: model signals cover save() and delete(),
these cover the rest. Lower modules send; higher ones connect in their AppConfig.ready().

    with changing(Opportunity, [pk]):
        Opportunity.objects.filter(pk=pk, version=v).update(...)

Inside the same transaction as the change, always: receivers write in it.
"""

from contextlib import contextmanager

from django.dispatch import Signal

rows_changing = Signal()  # sender: the model; pks: the rows about to change
rows_changed = Signal()   # sender: the model; pks: the rows that changed (or were inserted)


@contextmanager
def changing(model, pks):
    pks = [pk for pk in pks if pk is not None]
    rows_changing.send(sender=model, pks=pks)
    try:
        yield
    except BaseException:
        rows_changed.send(sender=model, pks=pks, failed=True)  # its transaction rolls back: nothing to keep
        raise
    rows_changed.send(sender=model, pks=pks, failed=False)


def inserted(model, pks) -> None:
    """Rows just inserted in bulk (nothing of theirs existed before)."""
    pks = list(pks)
    if pks:
        rows_changing.send(sender=model, pks=[])
        rows_changed.send(sender=model, pks=pks, failed=False)
