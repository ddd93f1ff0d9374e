"""The words Chinese procurement notices use: field labels, the labels that end a value, method terms.

Labels are written without spaces; the matcher allows the spaces that table layouts and crawls put between
characters ("采 购 人 名 称"). Each label list is ordered from the most to the least specific.
"""

# --- field labels -------------------------------------------------------------------------------------

PROJECT_NO = ["政府采购编号", "招标项目编号", "采购项目编号", "项目招标编号", "招标文件编号", "项目编号", "招标编号",
              "采购编号", "磋商编号", "谈判编号", "询价编号", "比选编号", "竞价编号"]
PROJECT_NO_WEAK = ["招标序号"]

PROJECT_NAME = ["采购项目名称", "招标项目名称", "项目名称", "工程名称", "项目全称", "工程项目名称"]
PROJECT_NAME_WEAK = ["标段（包）名称", "标段(包)名称", "标段名称", "采购包名称", "合同包名称", "标项名称", "包名称"]

TENDERER = ["采购人名称", "采购单位名称", "招标人名称", "招标单位名称", "建设单位名称", "采购人全称", "采购人",
            "采购单位", "招标人", "招标单位", "建设单位", "项目业主", "业主单位", "委托单位", "采购方", "招标方",
            "业主"]
AGENCY = ["采购代理机构全称", "采购代理机构名称", "招标代理机构全称", "招标代理机构名称", "代理机构名称",
          "采购代理机构",
          "招标代理机构", "集中采购机构", "代理机构", "招标代理单位", "代理单位", "招标代理人", "招标代理", "采购代理",
          "采购机构"]

METHOD = ["采购方式", "招标方式", "交易方式", "采购形式", "招标形式", "采购方法", "组织形式"]
SCORING = ["评标办法和标准", "评标方法和标准", "评标办法", "评标方法", "评审办法", "评审方法", "评分办法", "评分方法",
           "评定办法", "评定方法", "评标方式", "评审方式", "评标标准", "成交原则", "评标原则", "评审原则"]

TOTAL_BUDGET = ["采购预算总金额", "项目预算总金额", "预算总金额", "项目总预算", "总预算金额", "预算总额", "总预算"]
BUDGET = TOTAL_BUDGET + ["项目预算金额", "采购预算金额", "本项目预算", "项目预算", "采购预算", "预算金额", "预算上限",
                         "预算资金", "财政预算", "预算造价", "预算价"]
BUDGET_PACKAGE = ["采购包预算金额", "合同包预算金额", "标项预算金额", "分包预算金额", "标段预算金额", "包预算金额",
                  "品目预算", "包预算", "标段预算"]
CEILING = ["最高投标限价", "最高限价金额", "最高限价", "招标控制价", "控制价", "拦标价", "投标上限价", "最高报价限价",
           "上限价"]
BID_BOND = ["投标保证金金额", "投标保证金", "响应保证金", "磋商保证金", "谈判保证金", "报价保证金", "保证金金额"]

DEADLINE = ["首次响应文件提交截止时间", "响应文件提交截止时间", "递交响应文件截止时间", "提交响应文件截止时间",
            "响应文件递交截止时间", "响应文件上传截止时间", "递交投标文件截止时间", "提交投标文件截止时间",
            "投标文件递交截止时间", "投标文件递交的截止时间", "投标文件提交截止时间", "投标文件提交的截止时间",
            "投标文件上传截止时间", "投标文件接收截止时间", "投标文件截止时间", "投标截止时间", "磋商响应截止时间",
            "递交投标文件的截止时间", "提交投标文件的截止时间", "投标的截止时间", "投标截止日",
            "递交响应文件的截止时间",
            "响应截止时间", "报价截止时间", "递交截止时间", "提交截止时间", "上传截止时间", "截标时间", "投标截止日期"]
# A time window for handing in the bids ("投标时间：7月9—11日8:30—16:00"): its end is the deadline.
SUBMISSION_WINDOW = ["投标文件递交时间", "投标文件提交时间", "投标文件接收时间", "递交投标文件时间", "提交投标文件时间",
                     "响应文件递交时间", "响应文件提交时间", "递交响应文件时间", "提交响应文件时间", "投标时间"]
OPENING = ["响应文件开启时间", "开标时间", "开启时间", "开标日期"]
OPENING_WEAK = ["磋商会议时间", "谈判会议时间", "磋商谈判时间", "磋商时间", "谈判时间", "评审时间"]

QUALIFICATION = ["投标人资格要求", "申请人的资格要求", "申请人资格要求", "供应商资格要求", "合格投标人的资格条件",
                 "合格供应商的资格条件", "投标人的资格条件", "投标人资格条件", "供应商资格条件", "投标人资质要求",
                 "企业资质要求", "投标资格要求", "资格要求", "资格条件", "资质要求", "报名条件", "投标人要求"]

# --- labels that end a value in run-together text ("采购单位上海市某中心行政区域上海市...") ------------------

STOP = sorted(set(
    PROJECT_NO + PROJECT_NO_WEAK + PROJECT_NAME + PROJECT_NAME_WEAK + TENDERER[:9] + AGENCY[:7] + METHOD + BUDGET
    + CEILING + DEADLINE + OPENING + ["地址", "联系人", "联系方式", "联系电话", "电话", "传真", "邮编", "邮箱",
                                     "电子邮件",
                                     "行政区域", "公告时间", "发布时间", "公告期限", "品目", "采购需求", "项目概况",
                                     "项目联系人", "项目联系电话", "采购单位地址", "采购单位联系方式", "代理机构地址",
                                     "代理机构联系方式", "获取采购文件", "获取招标文件", "响应文件递交地点",
                                     "响应文件开启地点", "开标地点", "开启地点", "预算金额", "最高限价", "合同履行期限",
                                     "简要规格描述", "数量", "采购用途", "投资总额", "资金来源", "联系方法", "开户",
                                     "委托代理编号", "采购机构", "预算造价",
                                     "项目类型", "项目主要要求", "附件", "监督部门", "质疑", "网址"]
), key=len, reverse=True)

# --- method and scoring terms → code (the seeded tender_method / scoring_method codes) -----------------

METHOD_TERMS = [  # (words as written, code)
    ("国际公开招标", "open_tender"), ("国内公开招标", "open_tender"), ("公开招标", "open_tender"),
    ("邀请招标", "invited_tender"), ("竞争性磋商", "competitive_consultation"),
    ("竞争性谈判", "competitive_negotiation"), ("单一来源采购", "single_source"), ("单一来源", "single_source"),
    ("询价采购", "inquiry"), ("询价", "inquiry"), ("框架协议采购", ""), ("公开比选", ""), ("比选", ""),
    ("网上竞价", ""), ("竞价", ""), ("公开", "open_tender"), ("邀请", "invited_tender"),
    ("磋商", "competitive_consultation"),
    ("谈判", "competitive_negotiation"),
]
SCORING_TERMS = [
    ("经评审的最低投标价法", "lowest_evaluated_price"), ("经评审的最低价法", "lowest_evaluated_price"),
    ("综合评分法", "comprehensive"), ("综合评估法", "comprehensive"), ("综合评标法", "comprehensive"),
    ("综合评审法", "comprehensive"), ("最低评标价法", "lowest_price"), ("最低投标价法", "lowest_price"),
    ("最低价评标法", "lowest_price"), ("最低价法", "lowest_price"), ("性价比法", "cost_performance"),
    ("合理低价法", "other"), ("合理最低价法", "other"), ("评定分离", "other"), ("二次平均法", "other"),
]


def method_code(words: str | None) -> str:
    """The tender_method code for the method words of a notice ("公开" → open_tender), "" when none fits."""
    words = (words or "").replace(" ", "")
    for term, code in METHOD_TERMS:
        if term in words:
            return code
    return ""


def scoring_code(words: str | None) -> str:
    words = (words or "").replace(" ", "")
    for term, code in SCORING_TERMS:
        if term in words:
            return code
    return ""


# --- organisations ------------------------------------------------------------------------------------

ORG_SUFFIX = (r"(?:有限责任公司|股份有限公司|有限公司|分公司|公司|集团|研究院|设计院|医院|学院|大学|学校|中学|小学|"
              r"幼儿园|"
              r"研究所|事务所|研究中心|中心|委员会|办公室|管理局|局|厅|委|办|处|署|院|所|站|馆|社|部|队|会|行|场|厂|台|室|"
              r"政府|镇府|街道办事处|街道|镇|乡|村|社区|组|科|基地|监狱|法院|检察院|银行)")
AGENCY_WORDS = ("招标", "咨询", "代理", "造价", "项目管理", "工程管理", "采购服务", "交易服务", "建设管理咨询")
