"""Tender intake, round 2 (issue 21): each kind of miss found on unseen announcements, as a phrase or a short
notice — names kept as written, the total budget over a lot's, the lots listed, the labels 采购机构 / 预算造价,
a project number without a label, a submission window across days — and the batch command line."""

import json
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from opsmon.bids.intake import extract
from opsmon.bids.intake.dates import SHANGHAI
from opsmon.bids.intake.lots import lot_number
from opsmon.bids.intake.quotes import trimmed


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def values(text: str) -> dict:
    return {name: proposal.value for name, proposal in extract(text).fields.items()}


HEAD = "某某项目公开招标公告\n发布日期：2024年7月1日\n"


# --- names as the notice writes them ---------------------------------------------------------------------

def test_full_width_brackets_in_names_stay_full_width():
    got = values(HEAD + "项目名称：浙江省人民医院（浙江大学医学院附属人民医院）耗材管理系统采购项目\n"
                        "采购人：浙江省人民医院（本部）\n采购代理机构：江苏省政府采购中心有限公司（江宁分公司）\n")
    assert got["project_name"] == "浙江省人民医院（浙江大学医学院附属人民医院）耗材管理系统采购项目"
    assert got["tenderer"] == "浙江省人民医院（本部）"
    assert got["agency"] == "江苏省政府采购中心有限公司（江宁分公司）"


def test_ascii_brackets_stay_ascii():
    assert values(HEAD + "采购人：某某大学(南校区)\n")["tenderer"] == "某某大学(南校区)"


@pytest.mark.parametrize(("written", "value"), [
    ("“智慧校园建设项目”", "智慧校园建设项目"),
    ("\"智慧校园建设项目\"", "智慧校园建设项目"),
    ("「智慧校园建设项目」", "智慧校园建设项目"),
    ("“智慧校园建设项目", "智慧校园建设项目"),
    ("智慧校园建设项目”", "智慧校园建设项目"),
    ("关于“智慧校园”建设项目", "关于“智慧校园”建设项目"),
    ("“智慧校园”建设“一期”", "“智慧校园”建设“一期”"),
    ("南宁市“邕城水畅”排水项目", "南宁市“邕城水畅”排水项目"),
])
def test_quotes_around_a_name_go_quotes_inside_it_stay(written, value):
    assert trimmed(written) == value


def test_a_quoted_name_loses_its_quotes_only():
    got = values(HEAD + "项目名称：“智慧校园（一期）建设项目”\n采购人：“某某市第一中学”\n"
                        "2.采购代理机构信息\n名 称：“广西国信招标有限公司”\n")
    assert got["project_name"] == "智慧校园（一期）建设项目"
    assert got["tenderer"] == "某某市第一中学"
    assert got["agency"] == "广西国信招标有限公司"
    inner = values(HEAD + "项目名称：南宁市“邕城水畅”排水管网清疏服务项目\n")
    assert inner["project_name"] == "南宁市“邕城水畅”排水管网清疏服务项目"


def test_a_project_number_loses_the_brackets_around_it():
    assert values(HEAD + "项目编号：（GXZC2024-G1-0012）\n")["project_no"] == "GXZC2024-G1-0012"
    assert values(HEAD + "项目编号：[2301022024000123]\n")["project_no"] == "2301022024000123"


def test_padded_name_labels_and_a_name_holding_a_label():
    """名    称 (a table pads it) is read; 招标代理 inside 浙江求是招标代理有限公司 is no label."""
    got = values(HEAD + "1.采购人信息\n名    称：浙江省人民医院\n"
                        "2.采购代理机构信息\n名    称：浙江求是招标代理有限公司\n")
    assert got["tenderer"] == "浙江省人民医院"
    assert got["agency"] == "浙江求是招标代理有限公司"


# --- the tender's budget, the lots' budgets ---------------------------------------------------------------

LOTS_WITH_TOTAL = HEAD + """一、项目基本情况
项目编号：WHZB-2024-0612
预算总金额：人民币1,680.00万元
第一包：首义院区保洁服务，预算金额：980.00万元，最高限价：980.00万元；
第二包：光谷院区保洁服务，预算金额：700.00万元，最高限价：690.00万元。
投标保证金：第一包人民币10万元，第二包人民币7万元。
二、申请人的资格要求
"""


def test_the_total_budget_wins_over_a_lots_and_no_ceiling_is_made_from_the_lots():
    result = extract(LOTS_WITH_TOTAL)
    assert result.value("budget") == Decimal("16800000")
    assert result.value("ceiling_price") is None  # the ceilings are the lots', not the tender's
    assert result.value("bid_bond") is None       # so are the bonds
    offered = {alt.value for alt in result.fields["ceiling_price"].alternatives}
    assert offered == {Decimal("9800000"), Decimal("6900000")}


def test_the_total_wins_even_when_it_comes_after_the_lots():
    text = HEAD + ("包号 包名称 预算金额（万元） 最高限价（万元）\n1 断路器 620 600\n2 配电箱 480 470\n"
                   "预算总金额：1100万元。\n")
    result = extract(text)
    assert result.value("budget") == Decimal("11000000")
    assert result.value("ceiling_price") is None


def test_a_single_lots_amounts_are_the_tenders():
    text = HEAD + "合同包1(整体罩面工程):\n合同包预算金额：1,508,658.00元\n合同包最高限价：1,500,000.00元\n"
    result = extract(text)
    assert result.value("budget") == Decimal("1508658")
    assert result.value("ceiling_price") == Decimal("1500000")
    assert [lot.number for lot in result.lots] == ["1"]


def test_a_bond_for_every_lot_is_the_tenders_bond():
    text = LOTS_WITH_TOTAL.replace("投标保证金：第一包人民币10万元，第二包人民币7万元。",
                                   "投标保证金：各包均为人民币伍万元整。")
    assert extract(text).value("bid_bond") == Decimal("50000")


def test_lots_in_lines_are_listed_with_number_name_budget_and_ceiling():
    result = extract(LOTS_WITH_TOTAL)
    assert [lot.as_json() for lot in result.lots] == [
        {"number": "1", "name": "首义院区保洁服务", "budget": "9800000.00", "ceiling": "9800000.00"},
        {"number": "2", "name": "光谷院区保洁服务", "budget": "7000000.00", "ceiling": "6900000.00"},
    ]
    assert result.as_json()["lots"][1]["ceiling"] == "6900000.00"


def test_lots_in_blocks_keep_their_names_as_written():
    text = HEAD + ("预算金额：306.5万元\n采购需求：\n合同包1(中小学校园监控设备):\n合同包预算金额：186.5万元\n"
                   "合同包最高限价：186.5万元\n合同包2（电力电缆（10kV））:\n合同包预算金额：120万元\n合同包最高限价：118万元\n"
                   "申请人的资格要求：\n1.满足《中华人民共和国政府采购法》第二十二条规定；\n")
    lots = extract(text).lots
    assert [(lot.number, lot.name, lot.budget, lot.ceiling) for lot in lots] == [
        ("1", "中小学校园监控设备", Decimal("1865000"), Decimal("1865000")),
        ("2", "电力电缆（10kV）", Decimal("1200000"), Decimal("1180000")),
    ]
    assert extract(text).value("budget") == Decimal("3065000")


def test_lots_in_a_table():
    text = HEAD + ("本次招标共分3个包。\n包号 包名称 预算金额（万元） 最高限价（万元）\n1 10kV柱上断路器 620 600\n"
                   "2 低压综合配电箱 480 /\n3 电力电缆（10kV） 1350 1320\n3.投标人资格要求\n")
    lots = extract(text).lots
    assert [(lot.number, lot.name, lot.budget, lot.ceiling) for lot in lots] == [
        ("1", "10kV柱上断路器", Decimal("6200000"), Decimal("6000000")),
        ("2", "低压综合配电箱", Decimal("4800000"), None),
        ("3", "电力电缆（10kV）", Decimal("13500000"), Decimal("13200000")),
    ]


def test_a_numbered_series_of_named_lots_without_amounts_is_listed_a_lone_mention_is_not():
    series = extract(HEAD + "本项目划分为2个标包：\n标包1：千兆智能光猫\n标包2：千兆路由器\n3. 投标人资格要求\n").lots
    assert [(lot.number, lot.name, lot.budget) for lot in series] == [("1", "千兆智能光猫", None),
                                                                     ("2", "千兆路由器", None)]
    assert extract(HEAD + "标段1：投标人须具有施工总承包资质。\n").lots == []


def test_lots_numbered_after_a_label():
    text = HEAD + ("预算总金额：人民币2,360,000.00元\n采购需求：\n"
                   "包号：1，包名称：输液椅及配套设施，预算金额：1,260,000.00元，最高限价：1,260,000.00元；\n"
                   "包号：2，包名称：输液呼叫及信息系统，预算金额：1,100,000.00元，最高限价：1,080,000.00元。\n")
    result = extract(text)
    assert [(lot.number, lot.name, lot.ceiling) for lot in result.lots] == [
        ("1", "输液椅及配套设施", Decimal("1260000")), ("2", "输液呼叫及信息系统", Decimal("1080000"))]
    assert result.value("budget") == Decimal("2360000") and result.value("ceiling_price") is None


def test_a_ceiling_column_heading_is_no_ceiling_of_one_yuan():
    text = HEAD + ("本项目划分为两个标段：\n标段编号 标段名称 服务期 最高投标限价（元）\n"
                   "1 张家口区域风电场检修维护 2年 8,600,000.00\n2 承德区域风电场检修维护 2年 5,400,000.00\n"
                   "3. 投标人资格要求\n")
    result = extract(text)
    assert result.value("ceiling_price") is None
    assert [(lot.number, lot.ceiling) for lot in result.lots] == [("1", Decimal("8600000")),
                                                                  ("2", Decimal("5400000"))]
    assert "budget" not in extract(HEAD + "预算金额（元）：\n1 \n").fields


def test_bonds_for_lots_named_in_words_are_no_tender_bond():
    text = HEAD + "投标保证金：张家口区域标段人民币10万元，承德区域标段人民币6万元。\n"
    assert extract(text).value("bid_bond") is None
    same = HEAD + "投标保证金：人民币伍万元整（¥50,000.00），各标段相同。\n"
    assert extract(same).value("bid_bond") == Decimal("50000")


def test_lots_given_only_by_name_and_amounts_listed_lot_by_lot():
    text = HEAD + ("预算金额（元）：2,150,000.00元\n最高限价（元）：包1-1,400,000.00元 包2-700,000.00元\n采购需求：\n"
                   "包名称：执法记录仪\n数量：1\n预算金额（元）：1,400,000.00\n"
                   "包名称：采集工作站\n数量：1\n预算金额（元）：750,000.00\n二、申请人的资格要求：\n")
    result = extract(text)
    assert [(lot.number, lot.name, lot.budget, lot.ceiling) for lot in result.lots] == [
        ("1", "执法记录仪", Decimal("1400000"), Decimal("1400000")),
        ("2", "采集工作站", Decimal("750000"), Decimal("700000")),
    ]
    assert result.value("budget") == Decimal("2150000") and result.value("ceiling_price") is None
    assert extract(HEAD + "包名称：执法记录仪\n预算金额：100万元\n").lots == []  # one name is no list of lots


def test_an_amount_at_the_end_of_a_line_is_money_whatever_the_next_line_says():
    result = extract(HEAD + "预算金额（元）：1,400,000.00\n包名称：执法记录仪\n")
    assert result.value("budget") == Decimal("1400000")


def test_award_notices_list_no_lots():
    text = ("某某项目中标结果公告\n中标结果如下：\n第1包：课桌椅，预算金额：120万元\n第一中标候选人：某公司\n"
            "中标金额：118万元\n")
    assert extract(text).lots == []


@pytest.mark.parametrize(("written", "number"), [("1", "1"), ("03", "3"), ("三", "3"), ("十", "10"), ("十二", "12"),
                                                 ("二十", "20"), ("二十一", "21")])
def test_lot_numbers(written, number):
    assert lot_number(written) == number


# --- labels not known before ------------------------------------------------------------------------------

def test_caigou_jigou_is_the_agency_and_yusuan_zaojia_the_budget():
    got = values(HEAD + "采购人：广州市黄埔区教育局\n采购机构：广州公共资源交易中心黄埔分中心\n"
                        "预算造价：约2,356.78万元\n")
    assert got["agency"] == "广州公共资源交易中心黄埔分中心"
    assert got["budget"] == Decimal("23567800")


def test_a_project_number_without_a_label_under_the_title():
    got = values("郑州市第一人民医院医疗设备采购项目公开招标公告\nHNZC2024-0356\n\n一、项目基本情况\n"
                 "采购人：郑州市第一人民医院\n")
    assert got["project_no"] == "HNZC2024-0356"
    assert got["project_name"] == "郑州市第一人民医院医疗设备采购项目"


def test_a_project_number_in_brackets_in_the_title_is_not_part_of_the_name():
    got = values("新疆维吾尔自治区人民医院信息化设备采购项目（XJZC-2024-0911）公开招标公告\n一、项目基本情况\n")
    assert got["project_no"] == "XJZC-2024-0911"
    assert got["project_name"] == "新疆维吾尔自治区人民医院信息化设备采购项目"


@pytest.mark.parametrize("line", ["2024-07-01", "0571-85893000", "20240701", "www.ccgp.gov.cn", "（二期）"])
def test_dates_phones_and_addresses_under_the_title_are_no_project_number(line):
    assert "project_no" not in values(f"某某项目公开招标公告\n{line}\n采购人：某某大学\n")


def test_a_labelled_number_wins_over_an_unlabelled_one():
    got = values("某某项目公开招标公告\nZB-OTHER-0001\n项目编号：ZB-2024-0517\n")
    assert got["project_no"] == "ZB-2024-0517"


# --- a submission window across days ----------------------------------------------------------------------

@pytest.mark.parametrize(("line", "deadline"), [
    ("投标时间：7月9—11日8:30—16:00", at(2024, 7, 11, 16, 0)),
    ("投标时间：7月9日-11日 8:30-16:00", at(2024, 7, 11, 16, 0)),
    ("投标时间：7月9日至7月11日每日上午8:30至下午4:00", at(2024, 7, 11, 16, 0)),
    ("投标时间：７月９—１１日８：３０—１６：００", at(2024, 7, 11, 16, 0)),
    ("投标文件递交时间：2024年7月9日8:30至2024年7月11日16:00", at(2024, 7, 11, 16, 0)),
    ("投标时间：2024年7月11日8:30—9:30", at(2024, 7, 11, 9, 30)),
    ("投标时间：2024年7月11日上午9:30", at(2024, 7, 11, 9, 30)),
])
def test_the_deadline_is_the_end_of_the_submission_window(line, deadline):
    assert values(HEAD + line + "\n")["submission_deadline"] == deadline


def test_a_window_without_a_year_takes_the_notices_year_and_none_without_one():
    assert values("某某项目招标公告\n2024年6月20日\n投标时间：7月9—11日8:30—16:00\n")["submission_deadline"] == \
        at(2024, 7, 11, 16, 0)
    # a notice of 20 December for a window in January: the next year
    assert values("某某项目招标公告\n2023年12月20日\n投标时间：1月9—11日8:30—16:00\n")["submission_deadline"] == \
        at(2024, 1, 11, 16, 0)
    assert "submission_deadline" not in values("某某项目招标公告\n投标时间：7月9—11日8:30—16:00\n")


def test_a_window_for_buying_documents_is_no_deadline():
    text = HEAD + "获取招标文件时间：7月1日至5日8:30—17:00\n"
    assert "submission_deadline" not in values(text)


# --- the batch command line -------------------------------------------------------------------------------

NOTICE = HEAD + "项目编号：ZB-2024-0517\n预算金额：350万元\n投标截止时间：2024年7月20日9:30\n"


def test_a_directory_gives_one_json_line_per_file_and_the_time_per_document(tmp_path, capsys):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(NOTICE.replace("0517", f"051{i}"), encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a notice", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    call_command("extract-tender", str(tmp_path), "--lines")
    out, err = capsys.readouterr()
    lines = out.strip().split("\n")
    assert len(lines) == 3
    rows = [json.loads(line) for line in lines]
    assert [row["fields"]["project_no"]["value"] for row in rows] == ["ZB-2024-0510", "ZB-2024-0511", "ZB-2024-0512"]
    assert rows[0]["file"].endswith("0.txt") and rows[0]["lots"] == []
    assert "3 file(s)" in err and "ms per document" in err


def test_batch_lines_report_an_unreadable_file_and_exit_1(tmp_path, capsys):
    good = tmp_path / "a.txt"
    good.write_text(NOTICE, encoding="utf-8")
    empty = tmp_path / "b.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError) as raised:
        call_command("extract-tender", str(good), str(empty), str(tmp_path / "missing.txt"), "--lines")
    assert raised.value.returncode == 1
    rows = [json.loads(line) for line in capsys.readouterr().out.strip().split("\n")]
    assert [row.get("error", {}).get("code") for row in rows] == [None, "empty", "missing"]


def test_a_directory_without_readable_files_is_an_error(tmp_path):
    (tmp_path / "x.md").write_text("x", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("extract-tender", str(tmp_path), "--lines")
