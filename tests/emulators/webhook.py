"""A webhook receiver, as a customer's endpoint would be: it verifies the Standard Webhooks signature with
`standardwebhooks.Webhook.verify` and records every call (method, path, headers, body, whether it verified).

Each path answers as the test scripted it (`receiver.script(path, Answer(status, headers, body, hold))`);
unscripted paths answer 200.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool | None  # None: the receiver has no secret


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    hold: bool = False  # answer only when the receiver closes (a receiver slower than any read timeout)


class WebhookReceiver:
    def __init__(self, secret: str | None = None) -> None:
        self.secret = secret
        self.calls: list[Call] = []
        self.answers: dict[str, list[Answer]] = {}
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str = "/hook", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def script(self, path: str, *answers: Answer) -> None:
        """Answer the next calls to `path` with `answers`, in order (the last one repeats)."""
        self.answers[path] = list(answers)

    def _answer(self, path: str) -> Answer:
        with self._lock:
            queue = self.answers.get(path)
            if not queue:
                return Answer()
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _receive(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                verified = None
                if receiver.secret:
                    try:
                        Webhook(receiver.secret).verify(body, headers)
                        verified = True
                    except WebhookVerificationError:
                        verified = False
                with receiver._lock:
                    receiver.calls.append(Call(self.command, self.path, headers, body, verified))
                answer = receiver._answer(self.path)
                if answer.hold:
                    receiver._released.wait(10)
                payload = answer.body.encode()
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client gave up (a timeout test)
                    pass

            do_POST = do_PUT = do_GET = _receive

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()
