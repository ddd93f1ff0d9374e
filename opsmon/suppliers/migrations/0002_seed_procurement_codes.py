"""The procurement code tables of PROCUREMENT.md with their items' values (codes.models.VALUE_NAMES). The purchase
methods other than direct and single source reuse the tender_method codes and names (3 quotations each).
qualification_kind values are the supplier_category codes it is mandatory for ("*": every category)."""

from django.db import migrations

# name: (label_zh, label_en, [(code, zh, en, value), ...])
TABLES = {
    "supplier_category": ("供应商类别", "Supplier category", [
        ("hardware", "硬件", "Hardware", ""),
        ("software", "软件", "Software", ""),
        ("cloud", "云服务", "Cloud services", ""),
        ("service", "技术服务", "Technical services", ""),
        ("subcontract", "分包", "Subcontracting", ""),
    ]),
    "purchase_method": ("采购方式", "Purchase method", [
        ("direct", "小额直购", "Direct purchase", "1"),
        ("single_source", "单一来源", "Single source", "1"),
        ("inquiry", "询价", "Request for quotation", "3"),
        ("competitive_negotiation", "竞争性谈判", "Competitive negotiation", "3"),
        ("competitive_consultation", "竞争性磋商", "Competitive consultation", "3"),
        ("invited_tender", "邀请招标", "Invited tender", "3"),
        ("open_tender", "公开招标", "Open tender", "3"),
    ]),
    "unit": ("单位", "Unit", [
        ("set", "台", "unit", ""), ("suite", "套", "set", ""), ("piece", "个", "piece", ""),
        ("item", "项", "item", ""), ("person_day", "人天", "person-day", ""), ("year", "年", "year", ""),
    ]),
    "invoice_type": ("发票类型", "Invoice type", [
        ("vat_special", "增值税专用发票", "Special VAT invoice", "1"),
        ("vat_ordinary", "增值税普通发票", "Ordinary VAT invoice", "0"),
        ("e_special", "数电票（专票）", "Digital special VAT invoice", "1"),
        ("e_ordinary", "数电票（普票）", "Digital ordinary VAT invoice", "0"),
    ]),
    "payment_method": ("付款方式", "Payment method", [
        ("bank_transfer", "银行转账", "Bank transfer", ""),
        ("bank_acceptance", "银行承兑汇票", "Bank acceptance bill", ""),
        ("commercial_acceptance", "商业承兑汇票", "Commercial acceptance bill", ""),
    ]),
    "tax_rate": ("税率", "Tax rate", [
        ("13", "13%", "13%", "13"), ("9", "9%", "9%", "9"), ("6", "6%", "6%", "6"),
        ("3", "3%", "3%", "3"), ("1", "1%", "1%", "1"), ("0", "0%", "0%", "0"),
    ]),
    "qualification_kind": ("资质类型", "Qualification kind", [
        ("business_licence", "营业执照", "Business licence", "*"),
        ("iso9001", "ISO9001质量管理体系认证", "ISO 9001 certificate", "subcontract"),
        ("software_copyright", "软件著作权登记证书", "Software copyright certificate", "subcontract"),
        ("safety_licence", "安全生产许可证", "Work safety licence", "subcontract"),
        ("other", "其他资质", "Other qualification", ""),
    ]),
    "single_source_reason": ("单一来源理由", "Single-source reason", [
        ("only_supplier", "唯一供应商", "Only possible supplier", ""),
        ("emergency", "紧急情况", "Emergency", ""),
        ("add_on", "添购", "Add-on purchase", ""),
    ]),
}


def seed(apps, schema_editor):
    CodeTable = apps.get_model("codes", "CodeTable")
    CodeItem = apps.get_model("codes", "CodeItem")
    tender = {i.code: i for i in CodeItem.objects.filter(table__name="tender_method")}
    for name, (label_zh, label_en, items) in TABLES.items():
        table, _ = CodeTable.objects.get_or_create(name=name, defaults={"label_zh": label_zh, "label_en": label_en})
        for order, (code, zh, en, value) in enumerate(items, start=1):
            if name == "purchase_method" and code in tender:  # the same names as the tender methods
                zh, en = tender[code].label_zh, tender[code].label_en
            CodeItem.objects.get_or_create(table=table, code=code, defaults={
                "label_zh": zh, "label_en": en, "order": order * 10, "value": value})


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0001_initial"), ("codes", "0004_item_value")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
