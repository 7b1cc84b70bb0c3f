"""Webhooks: a journey step POSTs (or PUTs) a rendered JSON body to a URL the marketer typed in.

Why it looks the way it does:

* Signed the Standard Webhooks way (`standardwebhooks`): headers `webhook-id` (the message's `retry_key`, the same
  on every attempt, so the receiver de-duplicates a retry: `idempotent_retry`), `webhook-timestamp` and
  `webhook-signature` (HMAC-SHA256 of "id.timestamp.body" with the `signing_secret`, a "whsec_..." secret).
  Without a secret the request goes out unsigned.
* A URL typed by a workspace member is an SSRF hazard: this server must not become a way to reach its own
  loopback services, the private network or the cloud metadata address (169.254.169.254). The check is made on
  the address ACTUALLY CONNECTED TO: the adapter resolves the host name once, refuses a refused range, and
  connects to exactly that IP (the `requests-hardened` way: the connection pool's host is replaced by the checked
  IP, the URL's host name stays the Host header and the TLS name), so DNS rebinding between a check and the
  connection is not possible. A regex on the URL would miss names resolving to 10.x, `0x7f.1`, IPv4-mapped IPv6...
* Redirects: 307 and 308 are followed (at most 3 hops), since they keep the method and the body (a moved
  endpoint, http -> https); every hop is a new connection through the same checked adapter, so a public URL
  redirecting to 127.0.0.1 is refused. 301/302/303 are NOT followed: by the HTTP rules the client turns them
  into a GET without the body, which would be "delivered" without its content; they fail permanently with the
  new location in the message, so the marketer can fix the URL.
* `check_url(url)` is the publish-time check of the literal URL (scheme, host, no credentials, no IP literal in
  a refused range); the connection-level check is the one that counts.
* WEBHOOK_ALLOW_PRIVATE (app config only, never an account setting: a workspace must not be able to turn the
  check off) lets the dev setup and the tests reach 127.0.0.1; WEBHOOK_ALLOW_HOSTS (a list of host names, tests
  only) exempts those names from the check, so a test can stand a "public" first hop on a local server.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests_hardened.ip_filter import EXTRA_BLOCKED_NET_RANGES
from standardwebhooks import Webhook
from urllib3.util.connection import allowed_gai_family

from wayfinder.channels.base import Channel, OutgoingMessage, SendError, register_channel, retry_after_seconds
from wayfinder.clock import wall_now

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
MAX_TIMEOUT = 60.0  # the most a `connect_timeout` / `read_timeout` setting can ask for
MAX_REDIRECTS = 3
DEFAULT_RETRY_AFTER = 60.0
MAX_ERROR_BODY = 300  # characters of the receiver's answer kept in an error message
# Headers the marketer cannot set: the signature's, the body's type, the target's.
RESERVED_HEADERS = ("content-type", "content-length", "host", "transfer-encoding", "connection")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_METADATA = ipaddress.ip_address("169.254.169.254")
# Legacy IPv4 spellings getaddrinfo/inet_aton accept: 2130706433, 0x7f.1, 127.1, 017700000001.
_NUMERIC_HOST = re.compile(r"^[0-9a-fx.]+$", re.IGNORECASE)
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an RFC 9110 token


class RefusedAddress(requests.RequestException):
    """The host resolved to an address webhooks may not reach."""

    def __init__(self, ip: IPAddress, reason: str) -> None:
        super().__init__(f"refused: {ip} is {reason}")
        self.ip = ip
        self.reason = reason


def refusal(ip: IPAddress) -> str | None:
    """Why a webhook may not connect to `ip` ("a private address"), or None for a public address. An IPv4-mapped
    IPv6 address (::ffff:10.0.0.5) is judged as the IPv4 address it stands for."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip == _METADATA:
        return "a link-local address (the cloud metadata service)"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip in _CGNAT:
        return "a shared (CGNAT) address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved or any(ip in net for net in EXTRA_BLOCKED_NET_RANGES) or not ip.is_global:
        return "a reserved address"
    return None


def _ip_literal(host: str) -> IPAddress | None:
    """The address a host that is an IP literal stands for (legacy IPv4 spellings included), else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host) and any(c.isdigit() for c in host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def check_url(url: str, *, allow_private: bool = False) -> str | None:
    """A webhook URL's problem, for the publish-time check (None: fine). Only the literal URL is judged; the
    address connected to is checked again at send time, after DNS."""
    if not isinstance(url, str) or not url.strip():
        return "The webhook URL is empty"
    if any(c.isspace() or ord(c) < 32 for c in url):
        return "The webhook URL contains spaces or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises for a port that is not a number in range)
    except ValueError as exc:
        return f"The webhook URL is malformed: {exc}"
    if parts.scheme not in ("http", "https"):
        return "The webhook URL must start with http:// or https://"
    if not parts.hostname:
        return "The webhook URL has no host"
    if parts.username is not None or parts.password is not None:
        return "The webhook URL must not contain credentials (user:password@); send them in a header"
    ip = _ip_literal(parts.hostname)
    if ip is not None and not allow_private and (reason := refusal(ip)):
        return f"refused: {ip} is {reason}"
    return None


def resolve_checked(host: str, port: int | None) -> IPAddress:
    """The one address `host` is connected to (the first getaddrinfo answers, as urllib3 would take), refused
    with RefusedAddress when it is in a refused range."""
    try:
        answers = socket.getaddrinfo(host, port or 0, family=allowed_gai_family(), type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise requests.ConnectionError(f"Cannot resolve {host}: {exc}") from exc
    ip = ipaddress.ip_address(answers[0][4][0].split("%")[0])
    if reason := refusal(ip):
        raise RefusedAddress(ip, reason)
    return ip


class CheckedAddressAdapter(HTTPAdapter):
    """An HTTPAdapter that connects only to checked addresses: requests-hardened's IPFilterAdapter, with this
    module's ranges and reasons, and host names exempted for the tests (`allow_hosts`)."""

    def __init__(self, is_https: bool, allow_hosts: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)  # HTTPAdapter's pool sizes
        self._is_https = is_https
        self._allow_hosts = {host.lower() for host in allow_hosts}

    def build_connection_pool_key_attributes(self, request, verify, cert=None):  # type: ignore[no-untyped-def]
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        hostname, port = host_params["host"], host_params["port"]
        if hostname.lower() in self._allow_hosts:
            return host_params, pool_kwargs
        request.headers = CaseInsensitiveDict(request.headers or {})
        host_header = f"[{hostname}]" if ":" in hostname else hostname
        request.headers["Host"] = f"{host_header}:{port}" if port is not None else host_header
        if self._is_https:  # the certificate is checked against the URL's name, not the IP
            pool_kwargs["assert_hostname"] = hostname
            pool_kwargs["server_hostname"] = hostname
        ip = resolve_checked(hostname, port)
        host_params["host"] = f"[{ip}]" if ip.version == 6 else str(ip)  # as requests-hardened passes it
        return host_params, pool_kwargs


class _NoRedirectSession(requests.Session):
    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        kwargs["allow_redirects"] = False  # whoever calls (pywebpush posts with the default True)
        return super().send(request, **kwargs)


def checked_session(allow_private: bool, allow_hosts: Iterable[str] = ()) -> requests.Session:
    """A session for requests to URLs from outside (webhooks, web push endpoints): no proxies from the
    environment (the check must see the real destination), never an automatic redirect (a 3xx is answered to
    the caller), and, unless `allow_private`, every connection through the address check."""
    session = _NoRedirectSession()
    session.trust_env = False
    if not allow_private:
        session.mount("http://", CheckedAddressAdapter(False, allow_hosts))
        session.mount("https://", CheckedAddressAdapter(True, allow_hosts))
    return session


def timeouts(channel: Channel, connect: float, read: float) -> tuple[float, float]:
    """The (connect, read) timeouts of a provider: its `connect_timeout` / `read_timeout` settings, bounded so a
    workspace's setting cannot stall a delivery worker."""

    def bounded(name: str, default: float) -> float:
        try:
            value = float(channel.setting(name, default))
        except (TypeError, ValueError):
            return default
        return min(max(value, 0.05), MAX_TIMEOUT)

    return bounded("connect_timeout", connect), bounded("read_timeout", read)


def _excerpt(response: requests.Response) -> str:
    """The start of the receiver's answer for an error message: the response is streamed, so at most a few KB
    are read, whatever the receiver sends."""
    if response._content is not False:  # noqa: SLF001  (already read by the caller, e.g. pywebpush)
        text = (response.text or "").strip()
    else:
        try:
            head = response.raw.read(4 * MAX_ERROR_BODY, decode_content=True) if response.raw is not None else b""
        except Exception:  # a broken or undecodable body: the status says enough
            head = b""
        text = head.decode(response.encoding or "utf-8", errors="replace").strip()
    return f": {text[:MAX_ERROR_BODY]}" if text else ""


def classify(response: requests.Response) -> SendError:
    """The SendError for a receiver's non-2xx answer."""
    status = response.status_code
    if status == 429:
        return SendError(
            f"The webhook receiver is rate limiting (429){_excerpt(response)}",
            retry_after=retry_after_seconds(response.headers.get("Retry-After")),
        )
    if status >= 500:
        return SendError(f"The webhook receiver failed ({status}){_excerpt(response)}")
    if status == 410:
        return SendError(f"The webhook receiver is gone (410){_excerpt(response)}", permanent=True)
    if 300 <= status < 400:
        location = response.headers.get("Location", "?")
        return SendError(
            f"The webhook URL redirects ({status}) to {location}: use that URL (only 307/308 are followed)",
            permanent=True,
        )
    return SendError(f"The webhook receiver refused the request ({status}){_excerpt(response)}", permanent=True)


def custom_headers(custom: Mapping[str, Any]) -> dict[str, str]:
    """The marketer's headers that may be sent (not the reserved ones); SendError(permanent) for a header HTTP
    cannot carry (a bad name, a line break, a character outside Latin-1), which no retry can fix."""
    headers = {}
    for name, value in custom.items():
        name, value = str(name), str(value)
        if name.lower() in RESERVED_HEADERS or name.lower().startswith("webhook-"):
            continue
        if not _HEADER_NAME.match(name) or "\r" in value or "\n" in value or not _latin1(value):
            raise SendError(f"The webhook header {name[:60]!r} cannot be sent", permanent=True)
        headers[name] = value
    return headers


def _latin1(value: str) -> bool:
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname, parts.port


@register_channel("webhook", "http")
class WebhookChannel(Channel):
    credential_fields = ("signing_secret",)
    setting_fields = ()
    idempotent_retry = True  # the receiver de-duplicates on webhook-id = retry_key

    def __init__(self, config: Mapping[str, Any], account: Mapping[str, Any] | None = None) -> None:
        super().__init__(config, account)
        # App config only: a workspace's account settings cannot lift the SSRF check.
        self.allow_private = bool(config.get("WEBHOOK_ALLOW_PRIVATE"))
        self._session = checked_session(self.allow_private, config.get("WEBHOOK_ALLOW_HOSTS") or ())
        self._signer: Webhook | None = None
        self._secret_problem: str | None = None
        secret = self.setting("signing_secret")
        if secret:
            try:
                self._signer = Webhook(secret)
            except Exception as exc:  # not base64, empty after the prefix...: every send would be unsigned
                self._secret_problem = f"The webhook signing secret cannot be used: {type(exc).__name__}"
        self._timeout = timeouts(self, CONNECT_TIMEOUT, READ_TIMEOUT)

    def headers(self, message: OutgoingMessage, body: str) -> dict[str, str]:
        """The marketer's headers (minus the reserved ones), the content type and the signature headers."""
        headers = custom_headers(message.payload.get("headers") or {})
        headers["Content-Type"] = "application/json"
        headers["User-Agent"] = "Wayfinder-Webhooks/1"
        msg_id = message.retry_key
        headers["webhook-id"] = msg_id
        if self._signer is not None:
            now = wall_now()
            headers["webhook-timestamp"] = str(int(now.timestamp()))
            headers["webhook-signature"] = self._signer.sign(msg_id, now, body)
        return headers

    def send(self, message: OutgoingMessage) -> str:
        url = message.recipient
        if problem := check_url(url, allow_private=self.allow_private):
            raise SendError(problem, permanent=True, invalid_address=True)
        if self._secret_problem:
            raise SendError(self._secret_problem, permanent=True)
        method = str(message.payload.get("method") or "POST").upper()
        if method not in ("POST", "PUT"):
            raise SendError(f"Unsupported webhook method {method}", permanent=True)
        body = str(message.payload.get("body") or "")
        headers = self.headers(message, body)
        response = self._request(method, url, body.encode(), headers)
        try:
            if 200 <= response.status_code < 300:
                return message.retry_key
            raise classify(response)
        finally:
            response.close()  # the body of a success is not read

    def _request(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> requests.Response:
        """The request, following at most MAX_REDIRECTS 307/308 hops (each through the address check)."""
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                response = self._session.request(
                    method, url, data=body, headers=headers, timeout=self._timeout, allow_redirects=False, stream=True
                )
            except RefusedAddress as exc:
                raise SendError(str(exc), permanent=True, invalid_address=True) from exc
            except requests.Timeout as exc:
                raise SendError(f"The webhook receiver timed out: {exc}") from exc
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                raise SendError(f"The webhook receiver cannot be reached: {exc}") from exc
            except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema) as exc:
                raise SendError(f"The webhook URL cannot be used: {exc}", invalid_address=True) from exc
            except requests.RequestException as exc:  # no retry can fix it
                raise SendError(f"The webhook request failed: {exc}", permanent=True) from exc
            if response.status_code not in (307, 308) or "Location" not in response.headers:
                return response
            target = urljoin(url, response.headers["Location"])
            response.close()
            if problem := check_url(target, allow_private=self.allow_private):
                raise SendError(f"The webhook redirect to {target} is refused: {problem}", invalid_address=True)
            if _origin(target) != _origin(url):  # the marketer's credentials stay with the URL they were set for
                headers = {k: v for k, v in headers.items() if k.lower() not in ("authorization", "cookie")}
            url = target
        raise SendError(f"The webhook URL redirects more than {MAX_REDIRECTS} times", permanent=True)

    def close(self) -> None:
        self._session.close()
