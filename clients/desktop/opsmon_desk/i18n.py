"""The client's own words (menus, buttons, messages) in zh-Hans and English. Everything about records, fields and
actions comes labelled from the server in the user's language; these are only the words of the client itself."""

LANGUAGE_NAMES = {"zh-hans": "简体中文", "en": "English"}

ZH = {
    "Account": "账户",
    "Add row": "添加一行",
    "All": "全部",
    "Bond exposure by status": "保证金占用（按状态）",
    "Browse…": "浏览…",
    "Cancel": "取消",
    "Choose a file…": "选择文件…",
    "Dashboard": "辅助决策",
    "Details": "详情",
    "Download and open": "下载并打开",
    "Export to Excel": "导出 Excel",
    "Field": "字段",
    "Inbox": "我的待办",
    "Keep my changes and save over the new version": "保留我的修改并覆盖新版本",
    "Language": "语言",
    "Log in": "登录",
    "Log in to OpsMon": "登录 OpsMon",
    "Log out": "退出登录",
    "Next": "下一页",
    "No": "否",
    "No data in this period.": "该期间没有数据。",
    "Now on the server": "服务器上的当前值",
    "Page {page} of {pages}, {count} in all": "第 {page}/{pages} 页，共 {count} 条",
    "Password": "密码",
    "Previous": "上一页",
    "Quit": "退出",
    "Record": "记录",
    "Refresh": "刷新",
    "Remove row": "删除一行",
    "Retry now": "立即重试",
    "Sales funnel (amount)": "销售漏斗（金额）",
    "Sales funnel (count)": "销售漏斗（数量）",
    "Search": "搜索",
    "Server": "服务器",
    "Since": "时间",
    "The server cannot be reached. Trying again in {seconds} s; what you typed is kept.":
        "无法连接服务器，{seconds} 秒后重试；已输入的内容会保留。",
    "The server cannot be reached. What you typed is kept; send it again when the connection is back.":
        "无法连接服务器。已输入的内容会保留，连接恢复后请再次提交。",
    "The server cannot be reached: {server}": "无法连接服务器：{server}",
    "The server could not finish it.": "服务器未能完成。",
    "The server does not say which actions are allowed on this record.": "服务器未提供该记录可执行的操作。",
    "The server is still working on it; try again later.": "服务器仍在处理，请稍后再试。",
    "This action is not possible on this record now.": "该记录当前不能执行此操作。",
    "To do": "待办事项",
    "Username": "用户名",
    "Win rate by department (%)": "各部门中标率（%）",
    "Win rate {rate}% ({won} won, {lost} lost) · bond money out {amount} {currency}":
        "中标率 {rate}%（中标 {won}，未中标 {lost}）· 保证金占用 {amount} {currency}",
    "Yes": "是",
    "Your session has ended. Log in again to finish what you were doing.": "登录已过期，请重新登录以完成刚才的操作。",
    "Yours": "您的输入",
    "{action}: are you sure?": "确定要执行“{action}”吗？",
    "{count} waiting": "共 {count} 项",
}

_language = "zh-hans"


def set_language(language: str) -> None:
    global _language
    _language = language if language in LANGUAGE_NAMES else "zh-hans"


def language() -> str:
    return _language


def tr(text: str) -> str:
    return ZH.get(text, text) if _language == "zh-hans" else text
