"""What the HTTP SMS gateways (Every8d, Mitake) share: the phone number in the form Taiwanese gateways want, one
requests session per delivery job, timeouts, and the classification of HTTP-level failures.

A gateway's address is a workspace account's `base_url` setting (else the provider's public API): a workspace must
not be able to point the server at its own network. Unless SMS_ALLOW_PRIVATE (app config only: the tests and the
dev setup, whose emulators listen on 127.0.0.1), every connection goes through the webhook's address check (the
address actually connected to, after DNS: no loopback, private, link-local or metadata address), with no proxy
from the environment and no automatic redirect.

Taiwanese gateways take a domestic mobile number in its local form (0912345678), not E.164 (+886912345678); a
number of another country keeps its + form, which both accept for international SMS.
"""

from __future__ import annotations

import re
from typing import Any

import requests

from wayfinder.channels.base import Channel, SendError, retry_after_seconds
from wayfinder.channels.webhook import RefusedAddress, checked_session

_TAIWAN_MOBILE = re.compile(r"^\+8869(\d{8})$")

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0


def taiwan_local(number: str) -> str:
    """+886 9xx xxx xxx → 09xxxxxxxx; any other number unchanged but for spaces and dashes."""
    compact = re.sub(r"[\s\-()]", "", number)
    match = _TAIWAN_MOBILE.match(compact)
    return f"09{match.group(1)}" if match else compact


def retry_after(response: requests.Response) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None when absent or unreadable."""
    return retry_after_seconds(response.headers.get("Retry-After"), None)


def http_error(provider: str, response: requests.Response) -> SendError | None:
    """The SendError of a non-2xx answer: 429 retryable after Retry-After, 401/403 permanent (credentials),
    other 4xx permanent (the request itself is wrong), 5xx retryable; None for a 2xx."""
    status = response.status_code
    if status < 300:
        return None
    text = f"{provider} answered HTTP {status}: {response.text[:200]}"
    if status == 429:
        return SendError(text, retry_after=retry_after(response))
    if status >= 500 or status in (408, 425):
        return SendError(text)
    return SendError(text, permanent=True)


class HttpSmsChannel(Channel):
    """A gateway spoken to with form posts over one keep-alive session per delivery job."""

    provider = ""

    def _session(self) -> requests.Session:
        session = getattr(self, "_http", None)
        if session is None:
            session = self._http = checked_session(bool(self.config.get("SMS_ALLOW_PRIVATE")))
        return session

    def timeout(self) -> tuple[float, float]:
        return (
            float(self.setting("connect_timeout", CONNECT_TIMEOUT)),
            float(self.setting("read_timeout", READ_TIMEOUT)),
        )

    def post(self, url: str, data: dict[str, Any], params: dict[str, str] | None = None) -> requests.Response:
        """POST the form; a network error or a timeout is retryable, an HTTP error classified (`http_error`)."""
        try:
            response = self._session().post(url, data=data, params=params, timeout=self.timeout())
        except RefusedAddress as exc:
            raise SendError(f"{self.provider} base_url {exc}", permanent=True) from exc
        except requests.RequestException as exc:
            raise SendError(f"{self.provider} unreachable: {exc.__class__.__name__}: {exc}") from exc
        error = http_error(self.provider, response)
        if error is not None:
            raise error
        if "charset" not in response.headers.get("Content-Type", "").lower():
            response.encoding = "utf-8"  # the gateways answer UTF-8 without saying so; requests would guess Latin-1
        return response

    def close(self) -> None:
        session = getattr(self, "_http", None)
        if session is not None:
            session.close()
            self._http = None
