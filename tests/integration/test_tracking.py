"""Tracked links through the real pipeline: a published journey sends an email (sandbox adapter, virtual clock), and
what the customer's mail client does with it — the open pixel, a click, the one-click unsubscribe — lands in the
message event log, as customer events, and on the suppression list that the next send checks."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from wayfinder.channels import sandbox
from wayfinder.channels.tracking_links import LINKS_KEY
from wayfinder.content.tracking import record_bounce
from wayfinder.extensions import db
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import Customer, Event, Message, MessageEvent, MessageStatus, Suppression

BODY = (
    '<html><body><p>Hi {{ customer.first_name }}, <a href="https://shop.example/sale">sale</a> '
    '<a href="https://shop.example/new">new</a> <a href="https://shop.example/faq">faq</a> '
    '<a href="mailto:help@shop.example">help</a></p></body></html>'
)
BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko)"


@pytest.fixture(autouse=True)
def _empty_sandbox():
    sandbox.SENT.clear()
    sandbox._SEEN.clear()  # message ids (and so retry keys) start again in every test's emptied database


def _journey(sim) -> int:
    g = GraphBuilder()
    g.chain(g.trigger("t", event="signup"), g.email("welcome", subject="Welcome", body=BODY), g.exit("done"))
    return sim.publish(g.build(), name="Welcome")


def _sent_to(address: str):
    [message] = [m for m in sandbox.SENT if m.recipient == address]
    return message


def _path(url: str, app) -> str:
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    assert url.startswith(base + "/t/"), url
    return url[len(base) :]


def _hrefs(html: str, app) -> list[str]:
    return [_path(h, app) for h in re.findall(r'href="([^"]+/t/c/[^"]+)"', html)]


def _pixel(html: str, app) -> str:
    return _path(re.search(r'<img src="([^"]+\.gif)"', html).group(1), app)


def _log(message_id: int) -> list[tuple[str, dict]]:
    rows = db.session.execute(
        select(MessageEvent.kind, MessageEvent.detail)
        .where(MessageEvent.message_id == message_id)
        .order_by(MessageEvent.id)
    ).all()
    return [(kind, detail or {}) for kind, detail in rows]


def _events(name: str) -> list[dict]:
    return [p for (p,) in db.session.execute(select(Event.properties).where(Event.name == name).order_by(Event.id))]


def test_opens_clicks_and_one_click_unsubscribe(sim):
    app = sim.app
    journey_id = _journey(sim)
    g = GraphBuilder()  # a journey that reacts to clicks
    g.chain(g.trigger("clicked", event="message_clicked"), g.exit("thanks"))
    clickers = sim.publish(g.build(), name="Clickers")
    sim.customers({"ann": {"first_name": "Ann"}})
    sim.track([("ann", "signup", {})])
    sent = _sent_to("ann@example.com")
    html = sent.payload["html"]
    assert "shop.example" not in html.replace("help@shop.example", "")  # every http(s) link is tracked
    assert 'href="mailto:help@shop.example"' in html
    assert sent.payload["list_unsubscribe"].startswith(app.config["PUBLIC_BASE_URL"])
    stored = db.session.get(Message, sent.id)
    assert stored.status == MessageStatus.SENT and stored.payload[LINKS_KEY][0] == "https://shop.example/sale"
    db.session.remove()
    browser = app.test_client()  # the customer's mail client: not signed in

    # An open within 2 s of the send (a prefetch) is logged as machine-made and starts nothing.
    pixel = browser.get(_pixel(html, app), headers={"User-Agent": BROWSER})
    assert pixel.status_code == 200 and pixel.mimetype == "image/gif" and "no-store" in pixel.headers["Cache-Control"]
    assert _log(sent.id)[-1] == ("opened", {"machine": True, "user_agent": BROWSER})
    assert _events("message_opened") == []

    # Later: a person opens it, and clicks the first link.
    sim.clock.advance(minutes=5)
    browser.get(_pixel(html, app), headers={"User-Agent": BROWSER})
    assert _log(sent.id)[-1] == ("opened", {"machine": False, "user_agent": BROWSER})
    assert _events("message_opened") == [
        {"message_id": sent.id, "journey_id": journey_id, "node_id": "welcome", "channel": "email"}
    ]
    click = browser.get(_hrefs(html, app)[0], headers={"User-Agent": BROWSER})
    assert click.status_code == 302 and click.headers["Location"] == "https://shop.example/sale"
    kind, detail = _log(sent.id)[-1]
    assert (kind, detail["url"], detail["machine"]) == ("clicked", "https://shop.example/sale", False)
    assert [e["url"] for e in _events("message_clicked")] == ["https://shop.example/sale"]
    sim.runner.run_jobs()  # the event went through the normal intake: the engine routes it to triggers
    assert list(sim.paths(clickers)) == ["ann"]

    # A forged or altered token: the same answers as for a token that never existed, and nothing recorded.
    before = len(_log(sent.id))
    token = _hrefs(html, app)[0].rsplit("/", 1)[1]
    assert browser.get(f"/t/c/{token[:-2]}xx").status_code == 404
    assert browser.get("/t/c/WzEsMF0.forged").status_code == 404
    assert browser.get("/t/u/WzEsMF0.forged").status_code == 404
    assert browser.post("/t/u/WzEsMF0.forged", data={"List-Unsubscribe": "One-Click"}).status_code == 404
    assert browser.get("/t/o/WzEsMF0.forged.gif").data == pixel.data
    assert len(_log(sent.id)) == before

    # The unsubscribe page (workspace language zh-TW), then RFC 8058 one-click: 200, no redirect.
    unsubscribe = _path(sent.payload["list_unsubscribe"], app)
    page = browser.get(unsubscribe)
    assert page.status_code == 200 and "取消訂閱" in page.get_data(as_text=True)
    assert db.session.scalars(select(Suppression)).all() == []  # showing the page unsubscribes no one
    done = browser.post(unsubscribe, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "您已取消訂閱" in done.get_data(as_text=True)
    [row] = db.session.scalars(select(Suppression)).all()
    assert (row.channel, row.address, row.reason) == ("email", "ann@example.com", "unsubscribed")
    assert _log(sent.id)[-1] == ("unsubscribed", {"channel": "email"})
    assert _events("unsubscribed")[0]["channel"] == "email"
    ann = db.session.scalar(select(Customer).where(Customer.external_id == "ann"))
    assert ann.attributes["consents"] == {"email": False}
    db.session.remove()

    # The next send to that address (another customer sharing it) is skipped by delivery.
    sim.client.post("/api/customers", json={"external_id": "bea", "email": "ann@example.com", "attributes": {}})
    sim.track([("bea", "signup", {})])
    status, error = db.session.execute(
        select(Message.status, Message.error)
        .join(Customer, Customer.id == Message.customer_id)
        .where(Customer.external_id == "bea")
    ).one()
    assert status == MessageStatus.SKIPPED and "suppression" in error
    assert len(sandbox.SENT) == 1


def test_a_click_counts_as_an_open_scanners_are_flagged_and_bounces_suppress(sim):
    app = sim.app
    _journey(sim)
    sim.customers({"cy": {"first_name": "Cy", "language": "en"}})
    sim.track([("cy", "signup", {})])
    sent = _sent_to("cy@example.com")
    hrefs = _hrefs(sent.payload["html"], app)
    assert len(hrefs) == 3
    browser = app.test_client()
    sim.clock.advance(minutes=1)

    # Images blocked: the first click records the open too. Then a scanner follows every link at once.
    for href in hrefs:
        assert browser.get(href, headers={"User-Agent": BROWSER}).status_code == 302
    log = _log(sent.id)[1:]
    assert _log(sent.id)[0][0] == "sent"
    assert [k for k, _ in log] == ["opened", "clicked", "clicked", "clicked"]
    assert log[0][1]["via"] == "click"
    assert all(d["machine"] for _, d in log[1:])  # the third click within 2 s flags the burst
    # Unflagged when they came; the customer events of the first two had gone out already.
    assert len(_events("message_clicked")) == 2 and len(_events("message_opened")) == 1

    # A customer whose language is English gets the page in English.
    page = browser.get(_path(sent.payload["list_unsubscribe"], app)).get_data(as_text=True)
    assert 'lang="en"' in page and "Unsubscribe from" in page

    # A soft bounce is logged; a hard one (found by the provider's id) also suppresses the address.
    assert record_bounce(db.session, sent.id, hard=False, detail="mailbox full")
    assert record_bounce(db.session, f"sandbox-{sent.retry_key}", hard=True, detail={"diagnostic": "550 no such user"})
    assert not record_bounce(db.session, "no-such-id", hard=True)
    db.session.commit()
    assert [(k, d["hard"]) for k, d in _log(sent.id) if k == "bounced"] == [("bounced", False), ("bounced", True)]
    [row] = db.session.scalars(select(Suppression)).all()
    assert (row.address, row.reason, row.detail) == ("cy@example.com", "bounced", "550 no such user")
    db.session.remove()


def test_tracking_routes_are_rate_limited_per_client_ip(anonymous, app):
    app.config["TRACKING_RATE_LIMIT_IP"] = "2 per minute"
    answers = [anonymous.get("/t/o/WzEsMF0.forged.gif").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
