"""Sample tender notices and the file makers the tender-intake tests share (and a check that the files they
make are what they claim: the upload helper takes them as PDF and Word)."""

import io
from pathlib import Path

from docx import Document

# The 18 real announcements of the accuracy test live beside the project (see its README).
DATA_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "tenders"

# Notices written like the common templates (ccgp 2020 公开招标公告, the 2007 standard 施工招标公告, a 成交结果公告,
# a notice with two 包 and no total, a 竞争性谈判公告); not taken from the data set.
OPEN_TENDER = """某大学智慧教室建设项目公开招标公告
项目概况
某大学智慧教室建设项目 招标项目的潜在投标人应在某省政府采购网获取招标文件，\
并于 2024年05月20日 09点30分（北京时间）前递交投标文件。
一、项目基本情况
项目编号：ZB-2024-0517
项目名称：某大学智慧教室建设项目
预算金额：350.000000 万元（人民币）
最高限价（如有）：348.000000 万元（人民币）
采购需求：
包1：智慧教室设备，预算金额：200万元
包2：录播系统，预算金额：150万元
合同履行期限：合同签订后60日内。
本项目不接受联合体投标。
二、申请人的资格要求：
1.满足《中华人民共和国政府采购法》第二十二条规定；
2.落实政府采购政策需满足的资格要求：本项目专门面向中小企业采购。
3.本项目的特定资格要求：具有电子与智能化工程专业承包二级及以上资质。
三、获取招标文件
时间：2024年04月28日 至 2024年05月08日，每天上午8:30至11:30，下午14:00至17:00。（北京时间，法定节假日除外）
地点：某省政府采购网
售价：￥0.0 元（人民币）
四、提交投标文件截止时间、开标时间和地点
2024年05月20日 09点30分（北京时间）
地点：某市公共资源交易中心第三开标室
五、公告期限
自本公告发布之日起5个工作日。
六、其他补充事宜
投标保证金：人民币叁万伍仟元整（¥35,000.00）
评标方法：综合评分法
七、对本次招标提出询问，请按以下方式联系。
1.采购人信息
名 称：某某大学
地址：某市大学路1号
联系方式：0571-12345678
2.采购代理机构信息
名 称：某某招标有限公司
地　址：某市中山路8号
联系方式：0571-87654321
"""

WORKS_TENDER = """某市滨江路道路改造工程施工招标公告
1．招标条件
本招标项目某市滨江路道路改造工程已由某市发展和改革委员会以某发改[2023]12号批准建设，项目业主为某市城市建设投资集团有限公司，建设资金来自财政资金，项目出资比例为100%，招标人为某市城市建设投资集团有限公司。项目已具备招标条件，现对该项目的施工进行公开招标。
2．项目概况与招标范围
2.1 建设地点：某市滨江路。
2.2 工程规模：道路全长2.3公里，本项目估算总投资1600万元，招标控制价为1256.78万元。
3．投标人资格要求
3.1 本次招标要求投标人须具备市政公用工程施工总承包二级及以上资质，并在人员、设备、资金等方面具有相应的施工能力。
3.2 本次招标不接受联合体投标。
4．招标文件的获取
4.1 凡有意参加投标者，请于2023年8月21日至2023年8月25日，登录某市公共资源交易网下载招标文件。
5．投标文件的递交
5.1 投标文件递交的截止时间（投标截止时间，下同）为２０２３年９月１２日上午９时３０分，地点为某市公共资源交易中心。
5.2 逾期送达的或者未送达指定地点的投标文件，招标人不予受理。
6．开标
开标时间：同投标截止时间。
7．投标保证金
投标保证金金额：人民币贰拾万元整。
8．评标办法
本次招标采用经评审的最低投标价法。
9．联系方式
招 标 人：某市城市建设投资集团有限公司   招标代理机构：某某工程咨询有限公司
"""

AWARD = """某区人民医院医疗设备采购项目成交结果公告
一、项目编号：XQCG-2022-031
二、项目名称：某区人民医院医疗设备采购项目
三、成交信息
供应商名称：某某医疗器械有限公司
成交金额：128.5万元
投标截止时间：2022年3月1日9:30
四、主要标的信息
名称：彩超 数量：1台
五、评审专家名单：张三、李四、王五
六、公告期限
自本公告发布之日起1个工作日。
七、凡对本次公告内容提出询问，请按以下方式联系。
1.采购人信息
名 称：某区人民医院
2.采购代理机构信息
名 称：某某项目管理有限公司
"""

TWO_PACKAGES = """某县中小学课桌椅采购项目招标公告
受某县教育局委托，某某招标代理有限公司就某县中小学课桌椅采购项目进行公开招标，欢迎合格的供应商参加投标。
一、招标项目编号：MX-ZFCG-2023-088
二、采购内容及预算：
第1包：小学课桌椅，包预算金额：120万元；
第2包：中学课桌椅，包预算金额：80万元。
三、投标截止时间：2023年6月8日14:30，开标时间：2023年6月8日14:30。
四、投标保证金：各包预算金额的1%。
"""

NEGOTIATION = """某市政务云运维服务项目竞争性谈判公告
某市大数据管理局委托某某工程项目管理有限公司，对某市政务云运维服务项目（采购编号：WT-2025-006）进行竞争性谈判采购。
一、采购预算：人民币捌拾陆万元整
二、供应商资格条件
1. 具有独立承担民事责任的能力；
2. 具有信息系统运维相关资质。
三、谈判文件获取时间：2025年3月3日至2025年3月7日
四、响应文件递交截止时间：2025年3月14日下午2:30
五、谈判时间：2025年3月14日下午3点
六、本项目不收取保证金。
"""

CORRECTION = """某市第三人民医院医用耗材采购项目更正公告
一、项目基本情况
原公告的采购项目编号：ZFCG-2024-118
原公告的采购项目名称：某市第三人民医院医用耗材采购项目
首次公告日期：2024年3月1日
二、更正信息
更正内容：
1. 原投标截止时间：2024年3月22日9:30，现变更为：2024年3月29日9:30；
2. 开标时间相应顺延至2024年3月29日9:30。
三、凡对本次公告内容提出询问，请按以下方式联系。
1.采购人信息
名 称：某市第三人民医院
2.采购代理机构信息
名 称：某某招标咨询有限公司
"""

CANDIDATES = """某县第二中学教学楼改造工程中标候选人公示
招标项目编号：JS2023-0456
招标人：某县教育局
招标代理机构：某某建设工程咨询有限公司
开标时间：2023年10月12日9时30分
第一中标候选人：某某建筑工程有限公司，投标报价：3256789.00元
第二中标候选人：某某建设集团有限公司，投标报价：3301234.00元
"""

TABLE_ROWS = """招标公告
项目名称 某镇农村饮水安全巩固提升工程
招标人 某县水利局
招标代理 某某工程项目管理有限公司
项目编号 SLJ-ZB-2022-09
招标控制价（万元） 386.52
资质要求 水利水电工程施工总承包三级及以上资质，项目经理须具备水利水电工程专业二级注册建造师。
投标截止时间 2022年5月10日10:00
开标时间 同投标截止时间
投标保证金 7万元
评标办法 经评审的最低投标价法
"""

SINGLE_SOURCE = """某大学实验室专用仪器单一来源采购公示
一、项目信息
采购人：某大学
项目名称：某大学实验室专用仪器采购项目
拟采购的货物或服务的预算金额：280万元
二、拟定供应商信息
名称：某某科学仪器有限公司
三、联系方式
1.采购人：某大学
2.采购代理机构：某某国际招标有限公司
"""


def docx_bytes(text: str) -> bytes:
    """A Word document with one paragraph per line, as a notice saved from a word processor would be."""
    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(text: str, *, pages: int = 1, encrypt: str | None = None, width: float = 400) -> bytes:
    """A text PDF (Chinese through the built-in STSong-Light CID font, as many Chinese PDFs use), the text
    repeated on each page and wrapped, like a word processor would, where a line reaches `width` points."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt=encrypt, pagesize=(width + 80, 842))  # 40 pt margins left and right
    lines = []
    for paragraph in text.splitlines():
        line = ""
        for ch in paragraph:
            if pdfmetrics.stringWidth(line + ch, "STSong-Light", 10) > width:
                lines.append(line)
                line = ""
            line += ch
        if len(line) == 1 and lines and len(lines[-1]) > 1:  # reportlab's one-glyph CID strings read back empty
            lines[-1], line = lines[-1][:-1], lines[-1][-1] + line
        lines.append(line)
    for _page in range(pages):
        y = 800
        pdf.setFont("STSong-Light", 10)
        for line in lines:
            if y < 40:
                pdf.showPage()
                pdf.setFont("STSong-Light", 10)
                y = 800
            pdf.drawString(40, y, line)
            y -= 14
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def scanned_pdf_bytes() -> bytes:
    """A PDF whose pages are only a picture, as a scanner makes them."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (600, 800), "white")
    for x in range(100, 500):
        for y in range(100, 110):
            image.putpixel((x, y), (0, 0, 0))
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawImage(ImageReader(image), 0, 0, 595, 842)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_made_files_pass_the_upload_helpers_content_check():
    from opsmon.core.files import sniff

    assert sniff(io.BytesIO(pdf_bytes(OPEN_TENDER)), "招标公告.pdf") == "pdf"
    assert sniff(io.BytesIO(docx_bytes(OPEN_TENDER)), "招标公告.docx") == "docx"
    assert sniff(io.BytesIO(scanned_pdf_bytes()), "扫描件.pdf") == "pdf"
