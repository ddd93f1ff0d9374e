"""Every code table of DOMAIN.md / API.md with real starting values (admins edit them later)."""

from django.db import migrations

# name: (label_zh, label_en, [(code, zh, en[, probability]), ...])
TABLES = {
    "industry": ("行业", "Industry", [
        ("government", "政府机关", "Government"),
        ("energy", "能源电力", "Energy and power"),
        ("telecom", "通信运营商", "Telecom operators"),
        ("finance", "金融", "Finance"),
        ("transport", "交通运输", "Transport"),
        ("manufacturing", "制造业", "Manufacturing"),
        ("healthcare", "医疗卫生", "Healthcare"),
        ("education", "教育", "Education"),
        ("water_environment", "水务环保", "Water and environment"),
        ("petrochemical", "石油化工", "Petrochemicals"),
        ("internet", "互联网", "Internet"),
        ("other", "其他", "Other"),
    ]),
    "region": ("地区", "Region", [
        ("110000", "北京市", "Beijing"), ("120000", "天津市", "Tianjin"), ("130000", "河北省", "Hebei"),
        ("140000", "山西省", "Shanxi"), ("150000", "内蒙古自治区", "Inner Mongolia"),
        ("210000", "辽宁省", "Liaoning"), ("220000", "吉林省", "Jilin"), ("230000", "黑龙江省", "Heilongjiang"),
        ("310000", "上海市", "Shanghai"), ("320000", "江苏省", "Jiangsu"), ("330000", "浙江省", "Zhejiang"),
        ("340000", "安徽省", "Anhui"), ("350000", "福建省", "Fujian"), ("360000", "江西省", "Jiangxi"),
        ("370000", "山东省", "Shandong"), ("410000", "河南省", "Henan"), ("420000", "湖北省", "Hubei"),
        ("430000", "湖南省", "Hunan"), ("440000", "广东省", "Guangdong"),
        ("450000", "广西壮族自治区", "Guangxi"), ("460000", "海南省", "Hainan"),
        ("500000", "重庆市", "Chongqing"), ("510000", "四川省", "Sichuan"), ("520000", "贵州省", "Guizhou"),
        ("530000", "云南省", "Yunnan"), ("540000", "西藏自治区", "Tibet"), ("610000", "陕西省", "Shaanxi"),
        ("620000", "甘肃省", "Gansu"), ("630000", "青海省", "Qinghai"), ("640000", "宁夏回族自治区", "Ningxia"),
        ("650000", "新疆维吾尔自治区", "Xinjiang"), ("710000", "台湾省", "Taiwan"),
        ("810000", "香港特别行政区", "Hong Kong"), ("820000", "澳门特别行政区", "Macao"),
    ]),
    "customer_type": ("客户类型", "Customer type", [
        ("soe", "国有企业", "State-owned enterprise"),
        ("government", "政府机关", "Government agency"),
        ("institution", "事业单位", "Public institution"),
        ("private", "民营企业", "Private enterprise"),
        ("foreign", "外资企业", "Foreign-invested enterprise"),
        ("other", "其他", "Other"),
    ]),
    "opportunity_source": ("商机来源", "Opportunity source", [
        ("tender_notice", "招标公告", "Tender notice"),
        ("referral", "客户推荐", "Referral"),
        ("existing_customer", "老客户", "Existing customer"),
        ("visit", "主动拜访", "Sales visit"),
        ("exhibition", "展会", "Exhibition"),
        ("website", "官网咨询", "Website enquiry"),
        ("partner", "合作伙伴", "Partner"),
        ("other", "其他", "Other"),
    ]),
    "opportunity_stage": ("商机阶段", "Opportunity stage", [
        ("discovery", "初步接洽", "Discovery", 10),
        ("qualified", "需求确认", "Needs confirmed", 25),
        ("proposal", "方案交流", "Proposal", 50),
        ("negotiation", "商务谈判", "Negotiation", 75),
        ("commit", "承诺采购", "Commitment", 90),
    ]),
    "close_reason": ("关闭原因", "Close reason", [
        ("lost", "丢单", "Lost to a competitor"),
        ("abandoned", "放弃", "Abandoned"),
        ("duplicate", "重复", "Duplicate"),
        ("invalid", "无效", "Invalid"),
    ]),
    "followup_kind": ("跟踪方式", "Follow-up kind", [
        ("visit", "拜访", "Visit"),
        ("call", "电话", "Call"),
        ("meeting", "会议", "Meeting"),
        ("email", "邮件", "Email"),
        ("other", "其他", "Other"),
    ]),
    "tender_method": ("招标方式", "Tender method", [
        ("open_tender", "公开招标", "Open tender"),
        ("invited_tender", "邀请招标", "Invited tender"),
        ("competitive_negotiation", "竞争性谈判", "Competitive negotiation"),
        ("competitive_consultation", "竞争性磋商", "Competitive consultation"),
        ("single_source", "单一来源", "Single source"),
        ("inquiry", "询价", "Request for quotation"),
    ]),
    "scoring_method": ("评标方法", "Scoring method", [
        ("comprehensive", "综合评分法", "Comprehensive scoring"),
        ("lowest_evaluated_price", "经评审的最低投标价法", "Lowest evaluated price"),
        ("lowest_price", "最低评标价法", "Lowest bid price"),
        ("cost_performance", "性价比法", "Cost-performance"),
        ("other", "其他", "Other"),
    ]),
    "bond_method": ("保证金形式", "Bond method", [
        ("bank_transfer", "银行转账", "Bank transfer"),
        ("bank_guarantee", "银行保函", "Bank guarantee letter"),
        ("insurance_guarantee", "保险保函", "Insurance guarantee"),
        ("guarantor_guarantee", "担保公司保函", "Guarantee company letter"),
        ("cheque", "支票", "Cheque"),
        ("bank_draft", "银行汇票", "Bank draft"),
    ]),
    "contract_type": ("合同类型", "Contract type", [
        ("product_sales", "产品销售合同", "Product sales"),
        ("system_integration", "系统集成合同", "System integration"),
        ("software_development", "软件开发合同", "Software development"),
        ("technical_service", "技术服务合同", "Technical services"),
        ("operations", "运维服务合同", "Operations and maintenance"),
        ("framework", "框架协议", "Framework agreement"),
    ]),
    "review_step_kind": ("评审环节", "Review step kind", [
        ("business", "商务评审", "Business review"),
        ("technical", "技术评审", "Technical review"),
        ("finance", "财务评审", "Finance review"),
        ("legal", "法务评审", "Legal review"),
        ("management", "管理层审批", "Management approval"),
    ]),
    "currency": ("币种", "Currency", [
        ("CNY", "人民币", "Chinese yuan"),
        ("USD", "美元", "US dollar"),
        ("EUR", "欧元", "Euro"),
        ("HKD", "港币", "Hong Kong dollar"),
        ("JPY", "日元", "Japanese yen"),
        ("GBP", "英镑", "Pound sterling"),
    ]),
}


def seed(apps, schema_editor):
    CodeTable = apps.get_model("codes", "CodeTable")
    CodeItem = apps.get_model("codes", "CodeItem")
    for name, (label_zh, label_en, items) in TABLES.items():
        table, _ = CodeTable.objects.get_or_create(
            name=name,
            defaults={"label_zh": label_zh, "label_en": label_en, "has_probability": name == "opportunity_stage"},
        )
        for order, (code, zh, en, *rest) in enumerate(items, start=1):
            CodeItem.objects.get_or_create(
                table=table, code=code,
                defaults={"label_zh": zh, "label_en": en, "order": order * 10,
                          "probability": rest[0] if rest else None},
            )


class Migration(migrations.Migration):
    dependencies = [("codes", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
