"""Local stand-ins for the places notifications go, started by the tests: an SMTP server (aiosmtpd) and HTTP
receivers that check each group robot's documented message format and signature and answer as the vendor does
(HTTP 200 with an error code inside when something is wrong)."""

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote_plus, urlparse

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """An SMTP server on a free port keeping every message it receives."""

    def __init__(self):
        self.messages = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler name
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"

    def start(self) -> "SmtpSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


def expected_dingtalk_sign(secret: str, timestamp: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(),
                                     hashlib.sha256).digest()).decode()


def expected_feishu_sign(secret: str, timestamp: str) -> str:
    return base64.b64encode(hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()).decode()


class RobotReceiver:
    """An HTTP server for one robot kind. `mode`: "ok" (check and answer as the vendor), "500" (a server error),
    "hang" (answers after `hang_seconds`). `received` keeps (query, body, problem) of every post."""

    def __init__(self, kind: str, secret: str = ""):
        self.kind, self.secret, self.mode, self.hang_seconds = kind, secret, "ok", 3.0
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802 - http.server's handler name
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
                try:
                    body = json.loads(raw.decode())
                except ValueError:
                    body = None
                problem = receiver.check(query, body, self.headers.get("Content-Type", ""))
                receiver.received.append({"path": self.path, "query": query, "body": body, "problem": problem})
                if receiver.mode == "hang":
                    time.sleep(receiver.hang_seconds)
                if receiver.mode == "500":
                    self.send_response(500)
                    self.end_headers()
                    return
                answer = receiver.answer(problem)
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self) -> str:
        return {"wecom": f"http://127.0.0.1:{self.port}/cgi-bin/webhook/send?key=test-key",
                "dingtalk": f"http://127.0.0.1:{self.port}/robot/send?access_token=test-token",
                "feishu": f"http://127.0.0.1:{self.port}/open-apis/bot/v2/hook/test-hook"}[self.kind]

    def start(self) -> "RobotReceiver":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # What each vendor checks (their documented formats), as an error text, or "" when the post is right.
    def check(self, query: dict, body, content_type: str) -> str:
        if "application/json" not in content_type:
            return "not JSON"
        if not isinstance(body, dict):
            return "body is not a JSON object"
        if self.kind == "wecom":
            if query.get("key") != "test-key":
                return "invalid webhook key"
            if body.get("msgtype") != "markdown" or not isinstance(body.get("markdown", {}).get("content"), str):
                return "msgtype markdown with markdown.content expected"
            if len(body["markdown"]["content"].encode()) > 4096:
                return "content exceeds 4096 bytes"
            return ""
        if self.kind == "dingtalk":
            timestamp, sign = query.get("timestamp", ""), query.get("sign", "")
            if query.get("access_token") != "test-token":
                return "token is not exist"
            if not timestamp.isdigit() or abs(int(timestamp) - time.time() * 1000) > 3600 * 1000:
                return "invalid timestamp"
            # parse_qs already undid the URL encoding once; the sign is the base64 text.
            if sign != expected_dingtalk_sign(self.secret, timestamp) and \
                    unquote_plus(sign) != expected_dingtalk_sign(self.secret, timestamp):
                return "sign not match"
            md = body.get("markdown", {})
            if body.get("msgtype") != "markdown" or not md.get("title") or not md.get("text"):
                return "msgtype markdown with markdown.title and markdown.text expected"
            return ""
        if self.kind == "feishu":
            timestamp, sign = str(body.get("timestamp", "")), body.get("sign", "")
            if not timestamp.isdigit() or abs(int(timestamp) - time.time()) > 3600:
                return "invalid timestamp"
            if sign != expected_feishu_sign(self.secret, timestamp):
                return "sign match fail or timestamp is not within one hour from current time"
            post = body.get("content", {}).get("post", {})
            if body.get("msg_type") != "post" or not post:
                return "msg_type post with content.post expected"
            locale = next(iter(post.values()))
            if not locale.get("title") or not isinstance(locale.get("content"), list):
                return "post needs a title and content lines"
            return ""
        return "unknown kind"

    def answer(self, problem: str) -> dict:
        if self.kind == "feishu":
            return {"code": 0, "msg": "success", "data": {}} if not problem else {"code": 19021, "msg": problem}
        return {"errcode": 0, "errmsg": "ok"} if not problem else {"errcode": 310000, "errmsg": problem}
