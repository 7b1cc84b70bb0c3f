"""A local emulator of three SMS gateways' documented HTTP APIs, one threaded server with a route each, for the SMS
channels' tests (the way email is tested against a real SMTP server):

* Every8d API 2.1: `POST /API21/HTTP/sendSMS.ashx` (form UID, PWD, SB, MSG, DEST, ST) → `CREDIT,SENDED,COST,UNSEND,
  BATCH_ID`, or `-code,description`;
* Mitake: `POST /api/mtk/SmSend?CharsetURL=UTF-8` (form username, password, dstaddr, smbody, clientid, response) →
  `[1]` / `msgid=` / `statuscode=` / `AccountPoint=` lines; a clientid seen before is answered with the first msgid
  and `Duplicate=Y`, and not sent again;
* Twilio: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` (HTTP Basic auth; form To, From or
  MessagingServiceSid, Body, StatusCallback) → 201 and the Message resource in JSON, or Twilio's error JSON
  (`code`, `message`, `more_info`, `status`).

Each route checks the credentials and the recipient (local form 09xxxxxxxx or +E.164 for the Taiwanese gateways,
E.164 for Twilio; a number in `unusable` is refused as a real number the carrier rejects), records every call in
`calls[provider]` and each message it accepted in `received[provider]`, and can be told to answer the next calls
with a given error instead (`fail_next`: "429" with Retry-After, "500", or a provider error code).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import uuid
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from wayfinder.channels.sms_segments import segments

RETRY_AFTER = 7
TAIWAN_LOCAL = re.compile(r"^09\d{8}$")
E164 = re.compile(r"^\+[1-9]\d{7,14}$")
TWILIO_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")
TWILIO_STATUS = {20003: 401, 20404: 404, 20429: 429}


class SmsGateway:
    def __init__(
        self,
        username: str = "wayfinder",
        password: str = "s3cret-密碼",
        twilio_sid: str = "AC" + "0" * 31 + "1",
        twilio_token: str = "twilio-auth-token",
        unusable: tuple[str, ...] = (),
    ) -> None:
        self.username, self.password = username, password
        self.twilio_sid, self.twilio_token = twilio_sid, twilio_token
        self.unusable = set(unusable)
        self.calls: dict[str, list[dict[str, str]]] = defaultdict(list)
        self.received: dict[str, list[dict[str, str]]] = defaultdict(list)
        self._failures: dict[str, deque[str]] = defaultdict(deque)
        self._mitake_clientids: dict[str, str] = {}
        self._lock = threading.Lock()
        self.credit = 1000.0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        # A short poll interval: shutdown() waits for the serving loop to notice (0.5 s by default, every test).
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> SmsGateway:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, provider: str, answer: str | int, times: int = 1) -> None:
        """Answer the next `times` calls to `provider` with `answer`: "429", "500", or one of the provider's error
        codes (Every8d "-2", Mitake "e", Twilio 21211)."""
        self._failures[provider].extend([str(answer)] * times)

    def _forced(self, provider: str) -> str | None:
        with self._lock:
            queue = self._failures[provider]
            return queue.popleft() if queue else None

    # --- Every8d ---
    def every8d(self, form: dict[str, str]) -> tuple[int, dict[str, str], str]:
        forced = self._forced("every8d")
        if forced in ("429", "500"):
            return int(forced), {"Retry-After": str(RETRY_AFTER)} if forced == "429" else {}, "error"
        if forced:
            return 200, {}, f"{forced},forced error"
        if form.get("UID") != self.username or form.get("PWD") != self.password:
            return 200, {}, "-2,帳號或密碼錯誤"
        dest = form.get("DEST", "")
        if not (TAIWAN_LOCAL.match(dest) or E164.match(dest)) or dest in self.unusable:
            return 200, {}, "-5,B number 違反規則"
        cost = float(segments(form.get("MSG", "")).segments)
        with self._lock:
            self.credit -= cost
            self.received["every8d"].append(form)
        return 200, {}, f"{self.credit:.1f},1,{cost:.1f},0,{uuid.uuid4()}"

    # --- Mitake ---
    def mitake(self, query: dict[str, str], form: dict[str, str]) -> tuple[int, dict[str, str], str]:
        forced = self._forced("mitake")
        if forced in ("429", "500"):
            return int(forced), {"Retry-After": str(RETRY_AFTER)} if forced == "429" else {}, "error"
        if forced:
            return 200, {}, f"[1]\r\nstatuscode={forced}\r\nError=forced error\r\n"
        if form.get("username") != self.username or form.get("password") != self.password:
            return 200, {}, "statuscode=e\r\nError=帳號、密碼錯誤\r\n"
        if query.get("CharsetURL", "").upper() != "UTF-8":
            return 200, {}, "[1]\r\nstatuscode=y\r\nError=CharsetURL\r\n"
        dest = form.get("dstaddr", "")
        if not (TAIWAN_LOCAL.match(dest) or E164.match(dest)) or dest in self.unusable:
            return 200, {}, "[1]\r\nstatuscode=v\r\nError=無效的手機號碼\r\n"
        clientid = form.get("clientid", "")
        with self._lock:
            msgid = self._mitake_clientids.get(clientid) if clientid else None
            duplicate = msgid is not None
            if not duplicate:
                msgid = f"{len(self._mitake_clientids) + 1:010d}"
                if clientid:
                    self._mitake_clientids[clientid] = msgid
                form["wire_smbody"] = form.get("smbody", "")
                form["smbody"] = form["wire_smbody"].replace("\x06", "\n")  # Mitake's line break
                self.credit -= segments(form["smbody"]).segments
                self.received["mitake"].append(form)
        answer = f"[1]\r\nmsgid={msgid}\r\nstatuscode=1\r\nAccountPoint={int(self.credit)}\r\n"
        return 200, {}, answer + ("Duplicate=Y\r\n" if duplicate else "")

    # --- Twilio ---
    def twilio(self, path: str, auth: str, form: dict[str, str]) -> tuple[int, dict[str, str], str]:
        match = TWILIO_MESSAGES.match(path)
        if not match:
            return _twilio_error(20404, "The requested resource was not found")
        forced = self._forced("twilio")
        if forced == "429":
            status, headers, body = _twilio_error(20429, "Too Many Requests")
            return status, {"Retry-After": str(RETRY_AFTER)}, body
        if forced == "500":
            return _twilio_error(20500, "Internal Server Error", status=500)
        if forced:
            return _twilio_error(int(forced), "forced error")
        expected = "Basic " + base64.b64encode(f"{self.twilio_sid}:{self.twilio_token}".encode()).decode()
        if auth != expected or match.group("sid") != self.twilio_sid:
            return _twilio_error(20003, "Authenticate")
        to = form.get("To", "")
        if not E164.match(to):
            return _twilio_error(21211, f"The 'To' number {to} is not a valid phone number.")
        if to in self.unusable:
            return _twilio_error(21614, f"'To' number {to} is not a valid mobile number")
        if not form.get("From") and not form.get("MessagingServiceSid"):
            return _twilio_error(21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message")
        sid = "SM" + uuid.uuid4().hex
        with self._lock:
            self.received["twilio"].append(form)
        resource = {
            "sid": sid,
            "account_sid": self.twilio_sid,
            "to": to,
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "body": form.get("Body", ""),
            "status": "queued" if form.get("From") else "accepted",
            "num_segments": str(segments(form.get("Body", "")).segments),
            "direction": "outbound-api",
            "api_version": "2010-04-01",
            "date_created": "Sat, 05 Dec 2026 04:00:00 +0000",
            "uri": f"/2010-04-01/Accounts/{self.twilio_sid}/Messages/{sid}.json",
        }
        return 201, {"Content-Type": "application/json"}, json.dumps(resource)

    def twilio_signature(self, url: str, params: dict[str, str], token: str | None = None) -> str:
        """X-Twilio-Signature of a callback to `url` with POST `params`, as Twilio computes it: HMAC-SHA1 with the
        Auth Token of the URL followed by each parameter's name and value, sorted by name; base64."""
        data = url + "".join(f"{key}{params[key]}" for key in sorted(params))
        digest = hmac.new((token or self.twilio_token).encode(), data.encode(), hashlib.sha1).digest()
        return base64.b64encode(digest).decode()


def _twilio_error(code: int, message: str, status: int | None = None) -> tuple[int, dict[str, str], str]:
    status = status or TWILIO_STATUS.get(code, 400)
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return status, {"Content-Type": "application/json"}, json.dumps(body)


def _form(raw: bytes) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(raw.decode("ascii"), encoding="utf-8").items()}


def _handler(gateway: SmsGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            form = _form(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
            if parts.path.lower() == "/api21/http/sendsms.ashx":
                gateway.calls["every8d"].append(form)
                status, headers, body = gateway.every8d(form)
            elif parts.path == "/api/mtk/SmSend":
                gateway.calls["mitake"].append(form)
                status, headers, body = gateway.mitake(query, form)
            elif parts.path.startswith("/2010-04-01/"):
                gateway.calls["twilio"].append(form)
                status, headers, body = gateway.twilio(parts.path, self.headers.get("Authorization", ""), form)
            else:
                status, headers, body = 404, {}, "not found"
            payload = body.encode("utf-8")
            self.send_response(status)
            # Every8d and Mitake answer UTF-8 text without naming the charset.
            headers = {"Content-Type": "text/plain", **headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler
