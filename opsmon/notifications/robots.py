"""The group robots' own message formats and signatures, as each vendor documents them:

- 企业微信 (WeCom) group robot: POST {"msgtype": "markdown", "markdown": {"content": ...}} to the webhook URL
  (…/cgi-bin/webhook/send?key=…); answers {"errcode": 0, "errmsg": "ok"}. No signature (the key is in the URL).
- 钉钉 (DingTalk) custom robot: POST {"msgtype": "markdown", "markdown": {"title", "text"}, "at": {...}} to
  …/robot/send?access_token=…&timestamp=<ms>&sign=<s>, where s = urlencode(base64(HMAC-SHA256(key=secret,
  msg="<ms>\\n<secret>"))); answers {"errcode": 0}.
- 飞书 (Feishu) custom bot: POST {"timestamp": "<s>", "sign": <s>, "msg_type": "post", "content": {"post": {...}}}
  to …/bot/v2/hook/…, where sign = base64(HMAC-SHA256(key="<s>\\n<secret>", msg="")); answers {"code": 0}.
"""

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus

WECOM_LIMIT = 4000  # bytes of markdown content the WeCom robot takes (4096), with room to spare


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _cut(text: str, limit: int) -> str:
    data = text.encode()
    return text if len(data) <= limit else data[:limit].decode(errors="ignore") + "…"


def body(kind: str, *, title: str, text: str, link: str, open_label: str, to: list[str], mobiles: list[str],
         language: str) -> dict:
    """The JSON body of a message for a robot of `kind` (the signature, when needed, is added when sending)."""
    to_line = " ".join(f"@{name}" for name in to)
    if kind == "wecom":
        lines = [f"**{title}**", text]
        if to_line:
            lines.append(f"> {to_line}")
        if link:
            lines.append(f"[{open_label}]({link})")
        return {"msgtype": "markdown", "markdown": {"content": _cut("\n".join(lines), WECOM_LIMIT)}}
    if kind == "dingtalk":
        mentions = " ".join(f"@{m}" for m in mobiles)
        lines = [f"#### {title}", text]
        if to_line or mentions:
            lines.append(f"> {to_line} {mentions}".rstrip())
        if link:
            lines.append(f"[{open_label}]({link})")
        return {"msgtype": "markdown", "markdown": {"title": title[:60], "text": "\n\n".join(lines)},
                "at": {"atMobiles": mobiles, "isAtAll": False}}
    if kind == "feishu":
        content = [[{"tag": "text", "text": text}]]
        if to_line:
            content.append([{"tag": "text", "text": to_line}])
        if link:
            content.append([{"tag": "a", "text": open_label, "href": link}])
        locale = "en_us" if language.startswith("en") else "zh_cn"
        return {"msg_type": "post", "content": {"post": {locale: {"title": title, "content": content}}}}
    raise ValueError(kind)


def signed(kind: str, url: str, payload: dict, secret: str, *, now: float | None = None) -> tuple[str, dict]:
    """The URL and body to send, signed for the robots that sign (with the current time, as they require)."""
    now = time.time() if now is None else now
    if kind == "dingtalk" and secret:
        ms = int(now * 1000)
        return f"{url}{'&' if '?' in url else '?'}timestamp={ms}&sign={dingtalk_sign(secret, ms)}", payload
    if kind == "feishu" and secret:
        seconds = int(now)
        return url, {"timestamp": str(seconds), "sign": feishu_sign(secret, seconds), **payload}
    return url, payload


def accepted(kind: str, answer: dict | None) -> tuple[bool, str]:
    """Whether the robot's JSON answer means delivered (all three answer HTTP 200 with an error code inside)."""
    if not isinstance(answer, dict):
        return False, "not a JSON answer"
    if kind == "feishu":
        code = answer.get("code", answer.get("StatusCode"))
        message = answer.get("msg", answer.get("StatusMessage", ""))
    else:
        code, message = answer.get("errcode"), answer.get("errmsg", "")
    return code == 0, "" if code == 0 else f"error {code}: {message}"[:500]
