import pytest

from opsmon.core import timeline
from opsmon.core.models import TimelineEntry


def test_entries_are_read_back_in_order_with_actor_and_changes(org):
    subject = org["rep1"]
    timeline.record(subject, actor=org["admin"], action="a.first", from_status="x", to_status="y",
                    comment="first")
    timeline.record(subject, actor=org["admin"], action="a.second", changes={"title": ["old", "new"]})
    entries = [e for e in timeline.entries_for(subject) if e.action.startswith("a.")]
    assert [e.action for e in entries] == ["a.first", "a.second"]
    assert entries[0].actor == org["admin"] and entries[0].from_status == "x" and entries[0].to_status == "y"
    assert entries[1].changes == {"title": ["old", "new"]}
    assert not any(e.action.startswith("a.") for e in timeline.entries_for(org["rep2"]))


def test_timeline_entries_cannot_be_changed_or_deleted(org):
    entry = timeline.record(org["rep1"], actor=org["admin"], action="a.fixed")
    entry.comment = "rewritten"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        TimelineEntry.objects.filter(pk=entry.pk).update(comment="rewritten")
    with pytest.raises(TypeError):
        TimelineEntry.objects.filter(pk=entry.pk).delete()
    assert TimelineEntry.objects.get(pk=entry.pk).comment == ""


def test_diff_keeps_only_changed_fields_as_json_safe_values():
    from datetime import date
    from decimal import Decimal
    changes = timeline.diff({"a": 1, "b": Decimal("1.50"), "c": date(2026, 1, 1)},
                            {"a": 1, "b": Decimal("2.00"), "c": date(2026, 1, 2)})
    assert changes == {"b": ["1.50", "2.00"], "c": ["2026-01-01", "2026-01-02"]}
