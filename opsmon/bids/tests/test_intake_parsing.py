"""The extractor on phrases and notices as Chinese procurement notices write them (no database needed)."""

from datetime import datetime
from decimal import Decimal

import pytest

from opsmon.bids.intake import THRESHOLD, extract
from opsmon.bids.intake.dates import SHANGHAI, find_datetimes
from opsmon.bids.intake.numbers import chinese_number, parse_money
from opsmon.bids.intake.text import normalize

from .test_intake_samples import (
    AWARD,
    CANDIDATES,
    CORRECTION,
    NEGOTIATION,
    OPEN_TENDER,
    SINGLE_SOURCE,
    TABLE_ROWS,
    TWO_PACKAGES,
    WORKS_TENDER,
)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


# --- money ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("phrase", "yuan"), [
    ("人民币8,020,000.00元", "8020000"),
    ("预算金额：73.0800000 万元（人民币）", "730800"),
    ("￥73.08万元", "730800"),
    ("人民币壹拾肆万柒仟元整。", "147000"),
    ("壹佰贰拾万元整", "1200000"),
    ("人民币叁万元整（￥30000.00元）", "30000"),
    ("伍仟元", "5000"),
    ("审核预算价125143 元", "125143"),
    ("１，５０８，６５８．００元", "1508658"),        # full-width digits and comma
    ("1,50 8,658.00元", "1508658"),                # a stray space from a bad crawl
    ("捌拾陆万元整", "860000"),
    ("壹拾贰万叁仟肆佰伍拾陆元柒角捌分", "123456.78"),
])
def test_money_in_every_common_form_becomes_yuan(phrase, yuan):
    money = parse_money(normalize(phrase))
    assert money is not None and money.value == Decimal(yuan)


@pytest.mark.parametrize("phrase", ["下浮区间值：8%-14%", "2021年6月8日", "1-1 其他建筑工程", "-", "详见招标文件",
                                    "数量：1(项)"])
def test_rates_dates_codes_and_placeholders_are_not_money(phrase):
    assert parse_money(normalize(phrase)) is None


def test_a_bare_large_number_is_yuan_when_the_label_says_yuan():
    money = parse_money(normalize("670000"), default_unit="元")
    assert money.value == Decimal("670000") and money.has_unit
    assert parse_money(normalize("150"), default_unit="万元").value == Decimal("1500000")


def test_chinese_numerals():
    assert chinese_number("一亿二千万") == Decimal("120000000")
    assert chinese_number("十万") == Decimal("100000")
    assert chinese_number("贰拾元整") == Decimal("20")
    assert chinese_number("公司") is None


# --- dates and times ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("phrase", "expected"), [
    ("2021年6月8日9时30分", at(2021, 6, 8, 9, 30)),
    ("2021-06-08 09:30", at(2021, 6, 8, 9, 30)),
    ("2021/6/8 9:30", at(2021, 6, 8, 9, 30)),
    ("2011年5月18日上午9：30（北京时间）", at(2011, 5, 18, 9, 30)),
    ("2021年6月8日下午3:30", at(2021, 6, 8, 15, 30)),
    ("2018年4月10日下午14时30分", at(2018, 4, 10, 14, 30)),        # 下午 with a 24-hour clock
    ("２０２１年６月８日９时３０分", at(2021, 6, 8, 9, 30)),            # full-width digits
    ("2021年 6 月 9 日 0 9 时 : 30 分", at(2021, 6, 9, 9, 30)),       # stray spaces inside numbers
    ("2019 年8月5日北京时间 13:30时", at(2019, 8, 5, 13, 30)),
    ("2022年03月31日 09时50分00秒", at(2022, 3, 31, 9, 50)),
    ("2023年07月14日 13点00分", at(2023, 7, 14, 13, 0)),
    ("2018-03-1908:30:00", at(2018, 3, 19, 8, 30)),                # date and time glued by a crawl
    ("2021年6月8日（星期二）上午9:30", at(2021, 6, 8, 9, 30)),
    ("二〇二一年六月八日下午三点半", at(2021, 6, 8, 15, 30)),
])
def test_datetimes_in_every_common_form_are_aware_beijing_time(phrase, expected):
    found = find_datetimes(normalize(phrase))
    assert found and found[0].value == expected and found[0].has_time
    assert found[0].value.utcoffset().total_seconds() == 8 * 3600


def test_a_time_window_yields_its_start_and_end():
    found = find_datetimes(normalize("2011年5月18日上午8：30-9：30"))
    assert [w.value for w in found] == [at(2011, 5, 18, 8, 30), at(2011, 5, 18, 9, 30)]


def test_impossible_dates_are_ignored():
    assert find_datetimes("2021年2月30日9:30") == []
    assert find_datetimes("2021年6月8日25:00")[0].has_time is False


# --- whole notices -----------------------------------------------------------------------------------------

def values(text: str) -> dict:
    return {name: p.value for name, p in extract(text).fields.items()}


def test_an_open_tender_in_the_2020_template():
    got = values(OPEN_TENDER)
    assert got["project_no"] == "ZB-2024-0517"
    assert got["project_name"] == "某大学智慧教室建设项目"
    assert got["tenderer"] == "某某大学"
    assert got["agency"] == "某某招标有限公司"
    assert got["method"] == "公开招标"
    assert got["budget"] == Decimal("3500000")         # the project's, not a package's 200万 / 150万
    assert got["ceiling_price"] == Decimal("3480000")
    assert got["submission_deadline"] == at(2024, 5, 20, 9, 30)
    assert got["opening_at"] == at(2024, 5, 20, 9, 30)
    assert got["bid_bond"] == Decimal("35000")
    assert got["scoring_method"] == "综合评分法"
    assert "电子与智能化工程专业承包二级" in got["qualification"]


def test_the_other_budgets_are_shown_as_alternatives():
    budget = extract(OPEN_TENDER).fields["budget"]
    assert sorted(a.value for a in budget.alternatives) == [Decimal("1500000"), Decimal("2000000")]


def test_a_works_tender_in_the_standard_template():
    result = extract(WORKS_TENDER)
    got = {name: p.value for name, p in result.fields.items()}
    assert got["project_name"] == "某市滨江路道路改造工程"
    assert got["tenderer"] == "某市城市建设投资集团有限公司"
    assert got["agency"] == "某某工程咨询有限公司"
    assert got["ceiling_price"] == Decimal("12567800")            # 招标控制价
    assert "budget" not in got                                    # 估算总投资 is not a budget
    assert got["submission_deadline"] == at(2023, 9, 12, 9, 30)   # written with full-width digits
    assert got["opening_at"] == at(2023, 9, 12, 9, 30)            # 开标时间：同投标截止时间
    assert got["bid_bond"] == Decimal("200000")
    assert result.fields["scoring_method"].code == "lowest_evaluated_price"
    assert result.fields["method"].code == "open_tender"
    assert "project_no" not in got                                # the notice has none: nothing invented


def test_an_award_notice_is_recognised_and_gets_no_deadline_budget_or_bond():
    result = extract(AWARD)
    assert result.kind == "award"
    assert set(result.fields) <= {"project_no", "project_name", "tenderer", "agency", "method"}
    assert result.value("project_no") == "XQCG-2022-031" and result.value("tenderer") == "某区人民医院"


def test_two_packages_without_a_total_propose_no_budget_but_offer_both():
    budget = extract(TWO_PACKAGES).fields["budget"]
    assert budget.value is None and budget.confidence == 0
    assert sorted(a.value for a in budget.alternatives) == [Decimal("800000"), Decimal("1200000")]
    got = values(TWO_PACKAGES)
    assert got["tenderer"] == "某县教育局" and got["agency"] == "某某招标代理有限公司"
    assert "bid_bond" not in got                                  # 1% of the budget is no amount


def test_a_negotiation_notice():
    result = extract(NEGOTIATION)
    got = {name: p.value for name, p in result.fields.items()}
    assert result.fields["method"].code == "competitive_negotiation"
    assert got["tenderer"] == "某市大数据管理局" and got["agency"] == "某某工程项目管理有限公司"
    assert got["project_no"] == "WT-2025-006"
    assert got["budget"] == Decimal("860000")                     # 大写
    assert got["submission_deadline"] == at(2025, 3, 14, 14, 30)
    assert got["opening_at"] == at(2025, 3, 14, 15, 0)            # the negotiation counts as the opening
    assert got["bid_bond"] == Decimal("0")                        # 不收取保证金


def test_a_correction_proposes_the_new_deadline_not_the_old_one():
    result = extract(CORRECTION)
    assert result.kind == "correction"
    assert result.value("submission_deadline") == at(2024, 3, 29, 9, 30)
    assert result.value("opening_at") == at(2024, 3, 29, 9, 30)
    assert result.value("project_no") == "ZFCG-2024-118"


def test_a_candidates_notice_is_a_result_and_its_title_is_no_project_name_suffix():
    result = extract(CANDIDATES)
    assert result.kind == "award" and "opening_at" not in result.fields
    assert result.value("project_name") == "某县第二中学教学楼改造工程"
    assert result.value("tenderer") == "某县教育局"


def test_label_value_table_rows():
    result = extract(TABLE_ROWS)
    got = {name: p.value for name, p in result.fields.items()}
    assert got["project_name"] == "某镇农村饮水安全巩固提升工程" and got["tenderer"] == "某县水利局"
    assert got["agency"] == "某某工程项目管理有限公司" and got["project_no"] == "SLJ-ZB-2022-09"
    assert got["ceiling_price"] == Decimal("3865200")              # the unit is in the label
    assert got["opening_at"] == got["submission_deadline"] == at(2022, 5, 10, 10, 0)
    assert got["bid_bond"] == Decimal("70000")
    assert got["qualification"].startswith("水利水电工程施工总承包三级") and "投标截止" not in got["qualification"]
    assert not result.fields["agency"].alternatives                # the 招标人 row is no signature


def test_a_single_source_notice_does_not_take_the_supplier_for_a_party():
    got = values(SINGLE_SOURCE)
    assert got["tenderer"] == "某大学" and got["agency"] == "某某国际招标有限公司"
    assert got["budget"] == Decimal("2800000")
    assert got["method"] == "单一来源采购"


def test_a_conditional_exemption_is_not_a_zero_bond():
    text = "某某工程施工招标公告\n投标保证金\n诚信企业名录内的企业免交投标保证金。\n投标截止时间：2021年4月26日16:00"
    assert "bid_bond" not in values(text)


def test_each_proposal_points_at_its_sentence_and_the_highlight_is_the_value():
    result = extract(OPEN_TENDER)
    for name in ("project_no", "budget", "submission_deadline", "tenderer"):
        proposal = result.fields[name]
        assert proposal.snippet in OPEN_TENDER
        assert OPEN_TENDER[proposal.offset:proposal.offset + len(proposal.snippet)] == proposal.snippet
        assert proposal.snippet[proposal.start:proposal.end] == proposal.text
        assert THRESHOLD <= proposal.confidence <= 1
    assert result.fields["budget"].snippet.startswith("预算金额")
    assert result.fields["budget"].text == "350.000000 万元"


def test_run_together_text_is_cut_at_the_next_label():
    text = ("公告信息：采购项目名称某某医院检验设备采购品目货物/专用设备采购单位某某市第一人民医院行政区域某市公告时间"
            "2023年07月04日 12:08预算金额￥73.080000万元（人民币）项目编号：SH-2023-001项目名称：某某医院检验设备采购"
            "采购方式：竞争性磋商代理机构名称某某招标服务有限公司代理机构地址某市某路1号"
            "响应文件开启时间2023年07月14日 13:00")
    got = values(text)
    assert got["project_name"] == "某某医院检验设备采购"
    assert got["tenderer"] == "某某市第一人民医院"
    assert got["agency"] == "某某招标服务有限公司"
    assert got["budget"] == Decimal("730800")
    assert got["project_no"] == "SH-2023-001"
    assert got["opening_at"] == at(2023, 7, 14, 13, 0)


def test_text_with_nothing_to_read_proposes_nothing():
    assert extract("").fields == {}
    assert extract("欢迎访问本网站。联系电话：0571-88888888").fields == {}
