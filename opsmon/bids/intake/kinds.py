"""What a notice is: an invitation to tender, an award (中标/成交/结果) notice, a correction, or a termination."""

import re

TENDER = "tender"
AWARD = "award"
CORRECTION = "correction"
TERMINATION = "termination"
KINDS = (TENDER, AWARD, CORRECTION, TERMINATION)

_AWARD_TITLE = re.compile(r"中标公告|中标结果|成交公告|成交结果|结果公告|结果公示|中标候选人公示|中标公示|成交公示|"
                          r"评标结果|"
                          r"中标\(成交\)结果|中标（成交）结果|采购结果|中选公告|中选结果|合同公告")
_AWARD_BODY = re.compile(r"中标结果如下|成交结果如下|评标工作已经?结束|评审工作已经?结束|中标供应商名称|"
                         r"成交供应商名称|中标人名称|"
                         r"中标人[:：]|成交供应商[:：]|总中标金额|中标金额[:：]|成交金额[:：]|中标价[:：]|第一中标候选人|拟中标|"
                         r"中标候选人名单|评审专家名单")
_TERMINATION_TITLE = re.compile(r"废标公告|流标公告|终止公告|终止采购|采购失败|招标失败|取消公告")
_CORRECTION_TITLE = re.compile(r"更正公告|变更公告|澄清公告|补充公告|延期公告|更正事项|变更事项|答疑")
_TENDER_BODY = re.compile(r"获取招标文件|获取采购文件|招标文件的获取|采购文件的获取|潜在投标人|潜在供应商|"
                          r"投标截止时间|递交投标文件|"
                          r"提交投标文件|响应文件提交|递交响应文件|投标人资格要求|申请人的资格要求|投标人的资格条件|"
                          r"欢迎[^。\n]{0,20}(?:参加|投标)|进行公开招标|进行竞争性")


def classify(text: str) -> str:
    """The notice's kind, from its title (the first lines) above all and strong phrases of the body."""
    head = text[:300]
    title = head.split("\n", 1)[0][:120] if "\n" in head.strip() else head[:120]
    award = 3 * len(_AWARD_TITLE.findall(title)) + len(_AWARD_BODY.findall(text[:20000]))
    tender = len(_TENDER_BODY.findall(text[:20000]))
    if _TERMINATION_TITLE.search(title):
        return TERMINATION
    if _CORRECTION_TITLE.search(title):
        return CORRECTION
    if award >= 3 and award > tender:
        return AWARD
    return TENDER
