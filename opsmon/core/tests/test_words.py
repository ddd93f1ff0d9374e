"""Words in the reader's language (issue 20, item 11): a text written in Chinese is read in English (core.phrases),
lists and labels take the punctuation of the language (core.words and the `words` template filters)."""

from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext_noop

from opsmon.core.phrases import label_of, phrase, render
from opsmon.core.words import colon, join_list

ABANDONED = gettext_noop("%(bid)s was abandoned: bid again on %(project)s, or close it.")


def test_a_text_written_in_chinese_is_read_in_english():
    with translation.override("zh-hans"):
        text = phrase(ABANDONED, bid="TB-1", project="XM-1")
        assert text == "TB-1 已放弃：请为 XM-1 重新投标，或将其关闭。"  # a str, as callers expect
        stored = text.stored()
    assert "已放弃" not in stored
    with translation.override("en"):
        assert render(stored) == "TB-1 was abandoned: bid again on XM-1, or close it."
    with translation.override("zh-hans"):
        assert render(stored) == "TB-1 已放弃：请为 XM-1 重新投标，或将其关闭。"


def test_an_action_key_is_stored_as_a_key_and_read_as_its_label():
    with translation.override("zh-hans"):
        stored = phrase(gettext_noop("%(what)s"), what=label_of("bid.mark_won")).stored()
    with translation.override("en"):
        assert render(stored) == "Marked as won"
    assert "bid.mark_won" not in render(stored)


def test_plain_text_of_old_rows_is_shown_as_it_is():
    assert render("旧的通知") == "旧的通知" and render("") == ""


def test_english_punctuation_in_english():
    with translation.override("en"):
        assert colon("Outcome") == "Outcome: " and join_list(["Amount", "End date"]) == "Amount, End date"
        rendered = Template("{% load words %}{{ l|colon }}won · {{ items|join_list }}").render(
            Context({"l": "Outcome", "items": ["a", "b"]}))
        assert rendered == "Outcome: won · a, b"
