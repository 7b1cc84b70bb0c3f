"""Emulators of the push services, speaking their documented HTTP APIs on 127.0.0.1.

* `WebPushService`: a web push service (RFC 8030) — POST /push/<id> with an aes128gcm body (RFC 8291) and a VAPID
  `Authorization: vapid t=<jwt>,k=<public key>` header (RFC 8292). It checks the JWT's ES256 signature with the
  key in `k`, that `k` is the application server key the subscription was made with, the `aud` claim (the
  endpoint's origin), `exp` (future, at most 24 h away) and `sub`; decrypts the body with the subscription's
  private key and auth secret (`subscribe()` makes them, as a browser would) and records the JSON; answers
  201 + Location. A test can make an endpoint answer 410 (`gone`) or any status (`fail`).
* `FcmService`: Google's OAuth token endpoint (the service account's `token_uri`: a JWT-bearer grant signed with
  the service account's RSA key) and FCM HTTP v1 (POST /v1/projects/<project>/messages:send with
  `Authorization: Bearer <token>`), answering {"name": ...} or the documented error JSON.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from py_vapid import jwt as vapid_jwt


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class _Server:
    """A threaded HTTP server whose handler calls `self.handle(method, path, headers, body)` →
    (status, headers, body bytes)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict, bytes]:
        raise NotImplementedError

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    status, answer_headers, answer = server.handle(self.command, self.path, headers, body)
                except Exception as exc:  # an emulator bug shows as a 599 with the reason, not a hang
                    status, answer_headers, answer = 599, {}, repr(exc).encode()
                self.send_response(status)
                for name, value in answer_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_POST = do_GET = _serve

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


# --- web push -------------------------------------------------------------------------------------------------


@dataclass
class Subscriber:
    """A browser's side of one subscription: its ECDH key pair and auth secret."""

    id: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    application_server_key: str

    def subscription(self, origin: str) -> dict[str, Any]:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": f"{origin}/push/{self.id}", "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)}}


@dataclass
class Push:
    subscription_id: str
    data: Any  # the decrypted JSON
    claims: dict[str, Any]
    headers: dict[str, str]


class WebPushService(_Server):
    def __init__(self) -> None:
        super().__init__()
        self.subscribers: dict[str, Subscriber] = {}
        self.pushes: list[Push] = []
        self.rejected: list[tuple[str, str]] = []  # (subscription id, why)
        self.gone: set[str] = set()  # subscription ids answered 410
        self.fail: dict[str, tuple[int, dict[str, str]]] = {}  # subscription id -> (status, headers)

    def subscribe(self, application_server_key: str) -> dict[str, Any]:
        """A new subscription for the site whose VAPID public key is `application_server_key` (what
        `pushManager.subscribe({applicationServerKey})` gives a site)."""
        sub = Subscriber(
            uuid.uuid4().hex, ec.generate_private_key(ec.SECP256R1()), os.urandom(16), application_server_key
        )
        self.subscribers[sub.id] = sub
        return sub.subscription(self.origin)

    def _reject(self, sub_id: str, status: int, why: str) -> tuple[int, dict, bytes]:
        with self.lock:
            self.rejected.append((sub_id, why))
        return status, {"Content-Type": "application/json"}, json.dumps({"code": status, "message": why}).encode()

    def handle(self, method, path, headers, body):
        sub_id = path.removeprefix("/push/")
        sub = self.subscribers.get(sub_id)
        if method != "POST" or not path.startswith("/push/") or sub is None or sub_id in self.gone:
            return self._reject(sub_id, 410 if sub_id in self.gone else 404, "No such subscription")
        if sub_id in self.fail:
            status, extra = self.fail[sub_id]
            return status, extra, b'{"message": "scripted failure"}'
        scheme, _, params = headers.get("authorization", "").partition(" ")
        fields = dict(part.split("=", 1) for part in params.split(",") if "=" in part)
        if scheme.lower() != "vapid" or "t" not in fields or "k" not in fields:
            return self._reject(sub_id, 401, "Missing VAPID authorization")
        try:
            claims = vapid_jwt.decode(fields["t"], fields["k"])
        except Exception:
            return self._reject(sub_id, 401, "Bad VAPID signature")
        if fields["k"] != sub.application_server_key:
            return self._reject(sub_id, 403, "VAPID key differs from the subscription's applicationServerKey")
        if claims.get("aud") != self.origin:
            return self._reject(sub_id, 401, f"Bad aud {claims.get('aud')}")
        if not (time.time() < int(claims.get("exp", 0)) <= time.time() + 86400):
            return self._reject(sub_id, 401, "Bad exp")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
            return self._reject(sub_id, 401, "Bad sub")
        if headers.get("content-encoding") != "aes128gcm" or "ttl" not in headers:
            return self._reject(sub_id, 400, "Expected aes128gcm and a TTL")
        plain = http_ece.decrypt(body, private_key=sub.private_key, auth_secret=sub.auth, version="aes128gcm")
        with self.lock:
            self.pushes.append(Push(sub_id, json.loads(plain), claims, headers))
        return 201, {"Location": f"{self.origin}/m/{uuid.uuid4().hex}"}, b""


# --- FCM HTTP v1 ----------------------------------------------------------------------------------------------

FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"


def fcm_error(code: int, status: str, message: str, error_code: str | None = None, field: str | None = None) -> bytes:
    """FCM v1's documented error body (a google.rpc.Status with an FcmError detail)."""
    details: list[dict[str, Any]] = []
    if error_code:
        details.append({"@type": FCM_ERROR, "errorCode": error_code})
    if field:
        details.append({"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [{"field": field}]})
    return json.dumps({"error": {"code": code, "message": message, "status": status, "details": details}}).encode()


@dataclass
class FcmSend:
    project: str
    message: dict[str, Any]


class FcmService(_Server):
    """Google's token endpoint and FCM HTTP v1, for one project whose service account `service_account()` makes."""

    def __init__(self, project: str = "wayfinder-test") -> None:
        super().__init__()
        self.project = project
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.client_email = f"fcm@{project}.iam.gserviceaccount.com"
        self.access_tokens: set[str] = set()
        self.token_requests = 0
        self.sends: list[FcmSend] = []  # the messages FCM accepted
        self.calls: dict[str, int] = {}  # registration token -> FCM send calls for it
        self.unregistered: set[str] = set()
        self.invalid: set[str] = set()
        self.quota: set[str] = set()  # answered 429 QUOTA_EXCEEDED
        self.unavailable: set[str] = set()  # answered 503 UNAVAILABLE
        self.third_party: set[str] = set()  # answered 401 THIRD_PARTY_AUTH_ERROR

    def service_account(self) -> dict[str, str]:
        """The service account JSON, as the Firebase console gives it (token_uri: this emulator)."""
        pem = self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return {
            "type": "service_account",
            "project_id": self.project,
            "private_key_id": "k1",
            "private_key": pem.decode(),
            "client_email": self.client_email,
            "client_id": "1",
            "token_uri": f"{self.origin}/token",
        }

    def handle(self, method, path, headers, body):
        if path == "/token":
            return self._token(body)
        if path == f"/v1/projects/{self.project}/messages:send":
            return self._send(headers, body)
        return 404, {}, fcm_error(404, "NOT_FOUND", f"No such path {path}")

    def _token(self, body: bytes) -> tuple[int, dict, bytes]:
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if form.get("grant_type") != JWT_BEARER or "assertion" not in form:
            return 400, {}, b'{"error": "unsupported_grant_type"}'
        header, claims, signature = form["assertion"].split(".")
        try:
            self.key.public_key().verify(
                unb64url(signature), f"{header}.{claims}".encode(), padding.PKCS1v15(), hashes.SHA256()
            )
        except Exception:
            return 400, {}, b'{"error": "invalid_grant", "error_description": "Invalid JWT Signature."}'
        claims = json.loads(unb64url(claims))
        # google-auth always addresses the assertion to Google's token endpoint, whatever the token_uri.
        if claims.get("iss") != self.client_email or claims.get("aud") != GOOGLE_TOKEN_AUDIENCE:
            return 400, {}, b'{"error": "invalid_grant", "error_description": "Bad iss or aud."}'
        if "https://www.googleapis.com/auth/firebase.messaging" not in claims.get("scope", "").split() and (
            "https://www.googleapis.com/auth/cloud-platform" not in claims.get("scope", "").split()
        ):
            return 400, {}, b'{"error": "invalid_scope"}'
        token = f"ya29.{uuid.uuid4().hex}"
        with self.lock:
            self.access_tokens.add(token)
            self.token_requests += 1
        answer = {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}
        return 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()

    def _send(self, headers: dict[str, str], body: bytes) -> tuple[int, dict, bytes]:
        message = json.loads(body).get("message") or {}
        token = message.get("token")
        with self.lock:
            self.calls[token] = self.calls.get(token, 0) + 1
        bearer = headers.get("authorization", "").removeprefix("Bearer ")
        if bearer not in self.access_tokens:
            return 401, {}, fcm_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        if not token:
            return 400, {}, fcm_error(400, "INVALID_ARGUMENT", "No target", "INVALID_ARGUMENT")
        if token in self.unregistered:
            return 404, {}, fcm_error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED")
        if token in self.invalid:
            return (
                400,
                {},
                fcm_error(
                    400,
                    "INVALID_ARGUMENT",
                    "The registration token is not a valid FCM registration token",
                    "INVALID_ARGUMENT",
                    "message.token",
                ),
            )
        if token in self.quota:
            return 429, {"Retry-After": "30"}, fcm_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded", "QUOTA_EXCEEDED")
        if token in self.unavailable:
            return 503, {}, fcm_error(503, "UNAVAILABLE", "The service is unavailable.", "UNAVAILABLE")
        if token in self.third_party:
            return 401, {}, fcm_error(401, "UNAUTHENTICATED", "APNs auth error", "THIRD_PARTY_AUTH_ERROR")
        with self.lock:
            self.sends.append(FcmSend(self.project, message))
            number = len(self.sends)
        answer = {"name": f"projects/{self.project}/messages/{number}"}
        return 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()
