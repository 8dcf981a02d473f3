"""Stand-ins for the Telegram Bot API and an SMS gateway on 127.0.0.1: they record every request and answer as
the real services do, refusing what those would refuse (method, fields, lengths)."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

BOT_TOKEN = "123456:TEST-token"
SMS_USER, SMS_PASSWORD = "academy", "s3cret"
PHONE = re.compile(r"^\+996\d{9}$")


class StandIn:
    def __init__(self, check):
        self.requests = []
        self.fail_with = None  # an HTTP status to answer every request with, to play an outage
        self._check = check
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                stand_in.requests.append(request)
                status, answer = (stand_in.fail_with, {"ok": False}) if stand_in.fail_with else stand_in._check(request)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def bot_api_check(request):
    """What the Bot API requires of sendMessage and setWebhook."""
    match = re.fullmatch(r"/bot(?P<token>[^/]+)/(?P<method>\w+)", request["path"])
    if not match or match["token"] != BOT_TOKEN:
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
    if request["method"] != "POST" or not request["headers"].get("Content-Type", "").startswith("application/json"):
        return 400, {"ok": False, "error_code": 400, "description": "Bad Request: expected a JSON POST"}
    data = json.loads(request["body"])
    if match["method"] == "sendMessage":
        text = data.get("text")
        if not isinstance(data.get("chat_id"), (int, str)) or not data.get("chat_id"):
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat_id is empty"}
        if not isinstance(text, str) or not 1 <= len(text) <= 4096:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty or too long"}
        return 200, {"ok": True, "result": {"message_id": len(text), "chat": {"id": data["chat_id"]}, "text": text}}
    if match["method"] == "setWebhook":
        if not data.get("url", "").startswith("https://") or not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", data.get("secret_token", "")):
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: bad webhook"}
        return 200, {"ok": True, "result": True, "description": "Webhook was set"}
    return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}


def sms_gateway_check(request):
    """A typical HTTP SMS gateway: POST /send?login&psw&phones&mes&sender; +996 numbers; at most 2 segments."""
    from academy.services.messaging.sms import segments

    parts = urlsplit(request["path"])
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    if request["method"] != "POST" or parts.path != "/send":
        return 405, {"error": "method"}
    if (query.get("login"), query.get("psw")) != (SMS_USER, SMS_PASSWORD):
        return 401, {"error": "auth"}
    if not PHONE.match(query.get("phones", "")) or not query.get("mes") or segments(query["mes"]) > 2:
        return 400, {"error": "bad message"}
    return 200, {"id": len(request["path"]), "cnt": segments(query["mes"])}


@pytest.fixture
def bot_api(settings):
    server = StandIn(bot_api_check)
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN
    settings.TELEGRAM_BOT_USERNAME = "academy_test_bot"
    settings.TELEGRAM_API_URL = server.url
    settings.TELEGRAM_WEBHOOK_SECRET = "webhook-secret_1"
    yield server
    server.close()


@pytest.fixture
def sms_gateway(settings):
    server = StandIn(sms_gateway_check)
    settings.SMS_URL = server.url + "/send?login={username}&psw={password}&phones={phone}&mes={text}&sender={sender}"
    settings.SMS_METHOD = "POST"
    settings.SMS_USERNAME, settings.SMS_PASSWORD = SMS_USER, SMS_PASSWORD
    yield server
    server.close()


def sent_texts(server):
    texts = []
    for request in server.requests:
        if request["body"]:
            texts.append(json.loads(request["body"]).get("text"))
        else:
            texts.append(parse_qs(urlsplit(request["path"]).query)["mes"][0])
    return texts
