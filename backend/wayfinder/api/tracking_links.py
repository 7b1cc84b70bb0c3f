"""The routes behind tracked links in messages (/t/..., see channels/tracking_links.py): the open pixel, click
redirects and the unsubscribe page with RFC 8058 one-click unsubscribe.

They are opened by customers' mail clients and phones, so they take no sign-in, no CSRF token (the signed token in
the URL is the only credential) and are rate-limited per client IP (TRACKING_RATE_LIMIT_IP). A forged, altered or
unknown token gets the same answer as any other failure — the pixel, or the one 404 page — so the routes never
tell which messages exist. A click only ever redirects to a link that was in the message (the token carries an
index into the stored message's links, not a URL): no open redirect.

HEAD requests (link scanners probing) are answered without recording anything.
"""

from __future__ import annotations

import base64

from flask import Blueprint, Response, current_app, redirect, render_template, request

from wayfinder.auth.limits import ip_key
from wayfinder.channels import tracking_links as links
from wayfinder.content import tracking
from wayfinder.engine.queues import enqueue_events
from wayfinder.extensions import db, limiter
from wayfinder.models import utcnow

bp = Blueprint("tracking_links", __name__, url_prefix="/t")

# A 1×1 transparent GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
NO_STORE = {"Cache-Control": "no-store, no-cache, must-revalidate, private, max-age=0", "Pragma": "no-cache"}

TEXTS = {
    "zh-TW": {
        "title": "取消訂閱",
        "confirm": "要取消訂閱{brand}的{channel}嗎？",
        "button": "確認取消訂閱",
        "done": "您已取消訂閱{brand}的{channel}，之後不會再收到這類訊息。",
        "not_found_title": "找不到此頁面",
        "not_found": "這個連結無效或已失效。",
        "channels": {"email": "電子郵件", "sms": "簡訊", "line": "LINE 訊息"},
        "from": "「{name}」",
    },
    "en": {
        "title": "Unsubscribe",
        "confirm": "Unsubscribe from {brand}{channel}?",
        "button": "Unsubscribe",
        "done": "You have unsubscribed from {brand}{channel}. You will not receive these messages any more.",
        "not_found_title": "Page not found",
        "not_found": "This link is not valid or has expired.",
        "channels": {"email": "emails", "sms": "text messages", "line": "LINE messages"},
        "from": "{name} ",
    },
}


def _limit() -> str:
    return current_app.config["TRACKING_RATE_LIMIT_IP"]


def _secret() -> str:
    return str(current_app.config["SECRET_KEY"])


def _message(purpose: str, token: str) -> tuple[tracking.TrackedMessage, int | None] | None:
    found = links.read(_secret(), purpose, token)
    if found is None:
        return None
    message = tracking.find_message(db.session, found[0])
    return (message, found[1]) if message is not None else None


def _commit(event_ids: list[int]) -> None:
    db.session.commit()  # the engine's job reads the events: committed first
    if event_ids:
        enqueue_events(event_ids)


def _not_found(language: str = "zh-TW") -> Response:
    texts = TEXTS[language]
    body = render_template("tracking/page.html", language=language, title=texts["not_found_title"],
                           text=texts["not_found"], form=False)  # fmt: skip
    return Response(body, 404, {"Content-Type": "text/html; charset=utf-8", **NO_STORE})


@bp.get("/o/<token>.gif")
@limiter.limit(_limit, key_func=ip_key)
def open_pixel(token: str) -> Response:
    """The open pixel: always the GIF; a known token records an open."""
    if request.method == "GET":
        found = _message(links.OPEN, token)
        if found is not None:
            _commit(tracking.record_open(db.session, found[0], request.headers.get("User-Agent"), utcnow()))
    return Response(PIXEL, 200, {"Content-Type": "image/gif", **NO_STORE})


@bp.get("/c/<token>")
@limiter.limit(_limit, key_func=ip_key)
def click(token: str) -> Response:
    """A tracked link: 302 to the message's original URL, recording the click."""
    found = _message(links.CLICK, token)
    url = links.link_of(found[0].payload, found[1]) if found else None
    if found is None or url is None:
        return _not_found()
    if request.method == "GET":
        agent = request.headers.get("User-Agent")
        _commit(tracking.record_click(db.session, found[0], found[1] or 0, url, agent, utcnow()))
    response = redirect(url, 302)
    response.headers.update(NO_STORE)
    return response


def _page(message: tracking.TrackedMessage, done: bool, token: str) -> Response:
    language = tracking.language_for(db.session, message)
    texts = TEXTS[language]
    brand = tracking.brand_name(db.session, message)
    words = {
        "brand": texts["from"].format(name=brand) if brand else "",
        "channel": texts["channels"].get(message.channel, message.channel),
    }
    body = render_template(
        "tracking/page.html",
        language=language,
        title=texts["title"],
        text=texts["done" if done else "confirm"].format(**words),
        form=not done,
        button=texts["button"],
        action=f"{request.script_root}/t/u/{token}",
    )
    return Response(body, 200, {"Content-Type": "text/html; charset=utf-8", **NO_STORE})


@bp.get("/u/<token>")
@limiter.limit(_limit, key_func=ip_key)
def unsubscribe_page(token: str) -> Response:
    """The unsubscribe page, in the customer's language, with a button that confirms (a GET never unsubscribes:
    link scanners follow every link)."""
    found = _message(links.UNSUBSCRIBE, token)
    if found is None:
        return _not_found()
    db.session.commit()
    return _page(found[0], done=False, token=token)


@bp.post("/u/<token>")
@limiter.limit(_limit, key_func=ip_key)
def unsubscribe(token: str) -> Response:
    """Unsubscribe: the page's button, or RFC 8058 one-click (body `List-Unsubscribe=One-Click`, from the mailbox
    provider): 200, no redirect."""
    found = _message(links.UNSUBSCRIBE, token)
    if found is None:
        return _not_found()
    _commit(tracking.unsubscribe(db.session, found[0], utcnow()))
    return _page(found[0], done=True, token=token)
