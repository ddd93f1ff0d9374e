"""Demo suppliers: buyer1 registers them and files their licences, phead1 qualifies them. Left: four qualified (one
subcontractor with every mandatory certificate, one whose licence expires within 30 days), one pending, one
blacklisted. Idempotent."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from opsmon.accounts.models import User
from opsmon.customers.credit_code import check_character

from . import services
from .models import Supplier

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# (name, first 17 characters of the credit code, categories, SME, contact, phone, state)
SUPPLIERS = [
    ("北京华辰信息设备有限公司", "91110108MA01A0001", ["hardware"], False, "刘工", "010-62880001", "qualified"),
    ("上海云栖软件科技有限公司", "91310115MA1K40002", ["software", "cloud"], True, "陈经理", "021-58880002",
     "qualified"),
    ("杭州联创系统集成有限公司", "91330106MA2B00003", ["subcontract", "service"], True, "周工", "0571-8888003",
     "qualified_all"),
    ("深圳迅达网络技术有限公司", "91440300MA5F00004", ["hardware", "service"], True, "黄经理", "0755-2888004",
     "expiring"),
    ("南京博远数据服务有限公司", "91320106MA1N00005", ["service"], True, "吴工", "025-8688005", "pending"),
    ("广州恒通电子设备有限公司", "91440101MA5C00006", ["hardware"], False, "郑经理", "020-3888006", "blacklisted"),
]


def _code(first17: str) -> str:
    return first17 + check_character(first17)


def _file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _qualify(buyer, supplier, kind, *, days_left=365, number=""):
    today = timezone.localdate()
    services.qualification_add(actor=buyer, supplier=supplier, kind=kind, number=number or f"{kind.upper()[:4]}-"
                               f"{supplier.credit_code[-6:]}", valid_from=today - timedelta(days=400),
                               valid_to=today + timedelta(days=days_left), upload=_file(f"{kind}.pdf"))


@transaction.atomic
def load() -> None:
    buyer = User.objects.filter(username="buyer1").first()
    head = User.objects.filter(username="phead1").first()
    if buyer is None or head is None or Supplier.objects.filter(credit_code=_code(SUPPLIERS[0][1])).exists():
        return
    for index, (name, first17, categories, sme, contact, phone, state) in enumerate(SUPPLIERS, start=1):
        supplier = services.supplier_create(actor=buyer, name=name, credit_code=_code(first17), categories=categories,
                                            is_sme=sme, contact=contact, phone=phone)
        if state == "pending":
            continue
        _qualify(buyer, supplier, "business_licence", days_left=20 if state == "expiring" else 3 * 365)
        if state == "qualified_all":
            for kind in ("iso9001", "software_copyright", "safety_licence"):
                _qualify(buyer, supplier, kind)
        services.bank_account_add(actor=buyer, supplier=supplier, bank="中国工商银行股份有限公司北京分行",
                                  account_name=name, account_no=f"0200001019200{index:06d}")
        supplier = services.supplier_qualify(actor=head, supplier=supplier, comment="资料齐全")
        if state == "blacklisted":
            services.supplier_blacklist(actor=head, supplier=supplier, reason="投标中提供虚假材料",
                                        until=timezone.localdate() + timedelta(days=3 * 365))
