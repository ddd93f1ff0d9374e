"""No raw key, code or foreign punctuation in the timelines of a walked-through demo record (issue 20, item 11):
the amended demo contract (drafted, reviewed, signed, amended, invoiced, collected, a guarantee letter) and the
opportunity and bid it came from, read in Chinese and in English."""

import re

import pytest

from opsmon import demo
from opsmon.contracts.models import Contract
from opsmon.core import events

pytestmark = pytest.mark.django_db

SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # a code such as in_review, system_integration
ASCII_WORD = re.compile(r"\b[a-z]{3,}\b")  # in the Chinese UI, any lower-case English word is a code or a leftover


def timeline_text(client, path, language) -> str:
    html = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    part = html.split('data-testid="timeline"', 1)[1].split("</ul>\n      </div>", 1)[0].split("</div>\n</div>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part))


@pytest.fixture
def walked(org):
    demo.load()
    return Contract.objects.get(title="配电自动化主站运维监控平台（主站升级）")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_timelines_of_a_walked_through_record_show_words_not_keys(client, org, walked, language):
    client.force_login(org["admin"])
    keys = [a.key for a in events.actions()] + [k for k, _label in events.webhook_events()]
    for path in (f"/contracts/{walked.pk}/", f"/bids/{walked.bid_id}/", f"/opportunities/{walked.opportunity_id}/"):
        text = timeline_text(client, path, language)
        assert text.strip(), path
        shown = [k for k in keys if re.search(rf"(?<![\w.]){re.escape(k)}(?![\w.])", text)]
        assert shown == [], (path, shown)
        assert not SNAKE.search(text), (path, SNAKE.search(text))
        assert " CNY" not in text and "¥" in text or path.startswith("/opportunities/"), path
        if language == "zh-hans":
            assert not re.search(r"[\u4e00-\u9fff（）]: ", text), (path, text)  # full-width colons in Chinese
            assert not ASCII_WORD.search(text.replace("signed.pdf", "")), (path, ASCII_WORD.search(text))
            assert "Outcome" not in text and "Record changed" not in text
        else:
            assert "、" not in text and "结果" not in text, (path, text)
            assert "技术评审" not in text and "审批" not in text and "评审" not in text, (path, text)  # step kinds
            if path.startswith("/contracts/"):
                assert "Technical review" in text
