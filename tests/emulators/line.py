"""A local emulator of the LINE Messaging API's push and multicast endpoints, for the LINE provider's tests.

It speaks the documented protocol: `Authorization: Bearer <channel access token>` (401 otherwise), the request
bodies' shape (`to`; 1 to 5 messages of type text / image / flex with their required fields; altText of at most
400 characters: 400 with LINE's `message` + `details` otherwise), `X-Line-Retry-Key` (a UUID; a key already
accepted is answered 409 with `x-line-accepted-request-id` and, for a push, the accepted `sentMessages`, and nothing is
delivered again), `x-line-request-id` on every answer. Users in `unknown_users` are refused as LINE refuses a user
who does not exist or has not added the account as a friend (push: 400 "Failed to send messages"; multicast:
skipped silently, as LINE does).

A test can make it answer a status for the next N calls (`fail_next`: 429 with Retry-After, 500, 400...) or for
every call that names a user (`fail_user`: a push to it, or a multicast that includes it). Everything received is
in `requests`; what was delivered (once per accepted request) in `deliveries`.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

USER_ID = re.compile(r"^U[0-9a-f]{32}$")
PUSH = "/v2/bot/message/push"
MULTICAST = "/v2/bot/message/multicast"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any
    status: int = 0


@dataclass
class Delivery:
    user_id: str
    messages: list[dict[str, Any]]
    request_id: str


@dataclass
class Failure:
    status: int
    message: str
    retry_after: str | None = None
    details: list[dict[str, str]] = field(default_factory=list)


class _Answer(Exception):
    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def _invalid(details: list[dict[str, str]]) -> _Answer:
    return _Answer(400, {"message": f"The request body has {len(details)} error(s)", "details": details})


def _check_message(index: int, message: Any) -> list[dict[str, str]]:
    where = f"messages[{index}]"
    if not isinstance(message, dict):
        return [{"message": "must be an object", "property": where}]
    kind = message.get("type")
    required = {"text": ["text"], "image": ["originalContentUrl", "previewImageUrl"], "flex": ["altText", "contents"]}
    if kind not in required:
        return [{"message": "Invalid message type", "property": f"{where}.type"}]
    errors = [
        {"message": "must be specified", "property": f"{where}.{name}"}
        for name in required[kind]
        if message.get(name) in (None, "")
    ]
    if kind == "text" and len(str(message.get("text") or "")) > 5000:
        errors.append({"message": "Length must be between 0 and 5000", "property": f"{where}.text"})
    if kind == "image":
        for name in required["image"]:
            if message.get(name) and not str(message[name]).startswith("https://"):
                errors.append({"message": "must be HTTPS", "property": f"{where}.{name}"})
    if kind == "flex":
        if len(str(message.get("altText") or "")) > 400:
            errors.append({"message": "Length must be between 0 and 400", "property": f"{where}.altText"})
        contents = message.get("contents")
        if contents and (not isinstance(contents, dict) or contents.get("type") not in ("bubble", "carousel")):
            errors.append({"message": "Invalid container type", "property": f"{where}.contents.type"})
    return errors


def _check_body(path: str, body: Any) -> None:
    if not isinstance(body, dict):
        raise _Answer(400, {"message": "The request body could not be parsed as JSON"})
    details: list[dict[str, str]] = []
    to = body.get("to")
    if path == PUSH:
        if not isinstance(to, str) or not USER_ID.match(to):
            raise _Answer(400, {"message": "The property, 'to', in the request body is invalid (line: -, column: -)"})
    else:
        if not isinstance(to, list) or not 1 <= len(to) <= 500:
            details.append({"message": "Size must be between 1 and 500", "property": "to"})
        else:
            details += [
                {"message": "invalid user id", "property": f"to[{i}]"}
                for i, user in enumerate(to)
                if not isinstance(user, str) or not USER_ID.match(user)
            ]
    messages = body.get("messages")
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        details.append({"message": "Size must be between 1 and 5", "property": "messages"})
    else:
        for index, message in enumerate(messages):
            details += _check_message(index, message)
    if details:
        raise _invalid(details)


class LineEmulator:
    """`with LineEmulator(token) as line:` serves on 127.0.0.1 at `line.base_url` until the block ends."""

    def __init__(self, token: str = "test-channel-token") -> None:
        self.token = token
        self.requests: list[Received] = []
        self.deliveries: list[Delivery] = []
        self.unknown_users: set[str] = set()
        self._accepted: dict[str, tuple[str, dict[str, Any]]] = {}  # retry key → (request id, 200 body)
        self._next: list[Failure] = []
        self._users: dict[str, Failure] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> LineEmulator:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    # --- what a test tells it ---
    def fail_next(
        self,
        status: int,
        times: int = 1,
        *,
        message: str = "",
        retry_after: str | None = None,
        details: list[dict[str, str]] | None = None,
    ) -> None:
        """Answer `status` to the next `times` calls (after the auth check)."""
        with self._lock:
            self._next += [Failure(status, message or f"Emulated {status}", retry_after, details or [])] * times

    def fail_user(self, user_id: str, status: int, *, message: str = "", retry_after: str | None = None) -> None:
        """Answer `status` to every call that names `user_id`."""
        with self._lock:
            self._users[user_id] = Failure(status, message or f"Emulated {status}", retry_after)

    def calls(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]

    # --- the API ---
    def _handle(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, Any], dict[str, str]]:
        if path not in (PUSH, MULTICAST):
            raise _Answer(404, {"message": "Not found"})
        if headers.get("authorization") != f"Bearer {self.token}":
            raise _Answer(401, {"message": "Authentication failed. Confirm that the access token is valid."})
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        key = headers.get("x-line-retry-key")
        with self._lock:
            if self._next:
                self._raise(self._next.pop(0))
            to = body.get("to") if isinstance(body, dict) else None
            for user in to if isinstance(to, list) else [to]:
                if user in self._users:
                    self._raise(self._users[user])
            if key is not None:
                try:
                    uuid.UUID(key)
                except ValueError:
                    raise _Answer(400, {"message": "The value for the 'X-Line-Retry-Key' header is invalid"}) from None
                if key in self._accepted:
                    request_id, accepted = self._accepted[key]
                    answer = {"message": "The retry key is already accepted", **accepted}
                    raise _Answer(409, answer, {"x-line-accepted-request-id": request_id})
            _check_body(path, body)
            if path == PUSH and body["to"] in self.unknown_users:
                raise _Answer(400, {"message": "Failed to send messages"})
            request_id = str(uuid.uuid4())
            users = [body["to"]] if path == PUSH else [u for u in body["to"] if u not in self.unknown_users]
            for user in users:
                self.deliveries.append(Delivery(user, body["messages"], request_id))
            answer = {}
            if path == PUSH:
                answer = {"sentMessages": [{"id": str(uuid.uuid4().int)[:18]} for _ in body["messages"]]}
            if key is not None:
                self._accepted[key] = (request_id, answer)
            return 200, answer, {"x-line-request-id": request_id}

    @staticmethod
    def _raise(failure: Failure) -> None:
        body: dict[str, Any] = {"message": failure.message}
        if failure.details:
            body["details"] = failure.details
        raise _Answer(failure.status, body, {"Retry-After": failure.retry_after} if failure.retry_after else {})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {name.lower(): value for name, value in self.headers.items()}
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw
                received = Received(self.path, headers, body)
                with emulator._lock:
                    emulator.requests.append(received)
                try:
                    status, answer, extra = emulator._handle(self.path, headers, raw)
                except _Answer as exc:
                    status, answer, extra = exc.status, exc.body, exc.headers
                received.status = status
                extra.setdefault("x-line-request-id", str(uuid.uuid4()))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
