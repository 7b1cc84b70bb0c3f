"""Tracked links in rendered messages (channels/tracking_links.py): what `instrument` rewrites and leaves alone, and
that its tokens cannot be forged or altered."""

from __future__ import annotations

import re

from wayfinder.channels import tracking_links as links
from wayfinder.channels.base import OutgoingMessage
from wayfinder.channels.email_smtp import build_email

SECRET = "unit-test-secret"
BASE = "https://t.shop.example"
HTML = (
    "<html><body>"
    '<p><a href="https://shop.example/sale?a=1&amp;b=2">Sale</a> '
    "<a href='http://shop.example/plain'>plain</a> "
    '<a href="mailto:help@shop.example">mail</a> <a href="tel:+886212345678">call</a> <a href="#top">top</a> '
    '<a data-wf-notrack href="https://shop.example/private">private</a> '
    '<a href="https://shop.example/sale?a=1&amp;b=2">again</a></p>'
    "</body></html>"
)


def _token(url: str, kind: str) -> str:
    assert url.startswith(f"{BASE}/t/{kind}/"), url
    return url[len(f"{BASE}/t/{kind}/") :]


def test_email_links_pixel_and_unsubscribe_url():
    out = links.instrument("email", {"subject": "Hi", "html": HTML}, 42, BASE, secret=SECRET)
    hrefs = re.findall(r"""href=["']([^"']*)["']""", out["html"])
    # Tracked: the two http(s) links (the repeated URL shares one index); untouched: mailto, tel, #, data-wf-notrack.
    tracked = [h for h in hrefs if h.startswith(f"{BASE}/t/c/")]
    assert len(tracked) == 3
    assert "mailto:help@shop.example" in hrefs and "tel:+886212345678" in hrefs and "#top" in hrefs
    assert "https://shop.example/private" in hrefs
    assert "shop.example/sale" not in out["html"] and "shop.example/plain" not in out["html"]
    assert out[links.LINKS_KEY] == ["https://shop.example/sale?a=1&b=2", "http://shop.example/plain"]
    found = [links.read(SECRET, links.CLICK, _token(h.replace("&amp;", "&"), "c")) for h in tracked]
    assert found == [(42, 0), (42, 1), (42, 0)]
    assert links.link_of(out, 1) == "http://shop.example/plain"
    # The pixel sits before </body>; the unsubscribe URL carries an unsubscribe token for this message.
    pixel = re.search(r'<img src="([^"]+)"[^>]*></body>', out["html"])
    assert pixel is not None
    assert links.read(SECRET, links.OPEN, _token(pixel.group(1), "o").removesuffix(".gif")) == (42, None)
    assert links.read(SECRET, links.UNSUBSCRIBE, _token(out["list_unsubscribe"], "u")) == (42, None)
    assert out["subject"] == "Hi"


def test_the_email_carries_rfc_8058_headers():
    out = links.instrument("email", {"subject": "Hi", "html": "<p>Hi</p>"}, 7, BASE, secret=SECRET)
    assert out["html"].startswith("<p>Hi</p><img ")  # no </body>: the pixel goes at the end
    email = build_email(OutgoingMessage(7, "k", "email", "ann@example.com", out), "shop@example.com")
    assert email["List-Unsubscribe"] == f"<{out['list_unsubscribe']}>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_sms_urls_become_short_links():
    text = "限時優惠 https://shop.example/products/very-long-path?utm_source=sms&utm_campaign=spring，詳見 (http://x.example/a)."
    out = links.instrument("sms", {"text": text}, 123456789012, BASE, secret=SECRET)
    found = re.findall(rf"{re.escape(BASE)}/t/c/([0-9A-Za-z]+)", out["text"])
    assert len(found) == 2 and all(len(token) <= 20 for token in found)
    assert out["text"].startswith(f"限時優惠 {BASE}/t/c/{found[0]}，詳見 ({BASE}/t/c/{found[1]}).")
    assert out[links.LINKS_KEY] == [
        "https://shop.example/products/very-long-path?utm_source=sms&utm_campaign=spring",
        "http://x.example/a",
    ]
    assert [links.read(SECRET, links.CLICK, t) for t in found] == [(123456789012, 0), (123456789012, 1)]


def test_line_text_and_button_urls_are_tracked_images_are_not():
    payload = {
        "messages": [
            {"type": "text", "text": "看看 https://shop.example/new"},
            {"type": "image", "url": "https://cdn.example/a.png", "preview_url": "https://cdn.example/a.png"},
            {
                "type": "buttons",
                "title": "T",
                "text": "t",
                "buttons": [{"label": "Go", "url": "https://shop.example/go"}],
            },
        ]
    }
    out = links.instrument("line", payload, 5, BASE, secret=SECRET)
    assert out["messages"][0]["text"].startswith(f"看看 {BASE}/t/c/")
    assert out["messages"][1] == payload["messages"][1]
    assert out["messages"][2]["buttons"][0]["url"].startswith(f"{BASE}/t/c/")
    assert out[links.LINKS_KEY] == ["https://shop.example/new", "https://shop.example/go"]
    assert payload["messages"][0]["text"] == "看看 https://shop.example/new"  # the input is not changed


def test_other_channels_are_unchanged():
    payload = {"title": "Hi", "body": "https://shop.example"}
    assert links.instrument("push", payload, 1, BASE, secret=SECRET) == payload


def test_tokens_are_tamper_proof():
    email_click = links.sign(SECRET, links.CLICK, 42, 0)
    short = links.short_click(SECRET, 42, 0)
    assert links.read(SECRET, links.CLICK, email_click) == (42, 0)
    assert links.read(SECRET, links.CLICK, short) == (42, 0)
    # Another secret, another purpose, an altered id or index: nothing.
    assert links.read("other-secret", links.CLICK, email_click) is None
    assert links.read("other-secret", links.CLICK, short) is None
    assert links.read(SECRET, links.UNSUBSCRIBE, links.sign(SECRET, links.OPEN, 42)) is None
    assert links.read(SECRET, links.CLICK, links.sign(SECRET, links.OPEN, 42)) is None
    forged = links.sign("other-secret", links.CLICK, 43, 0)
    assert links.read(SECRET, links.CLICK, forged.split(".")[0] + "." + email_click.split(".")[1]) is None
    altered = ("1" if short[0] != "1" else "2") + short[1:]
    assert links.read(SECRET, links.CLICK, altered) is None
    assert links.read(SECRET, links.CLICK, short[:-1] + ("a" if short[-1] != "a" else "b")) is None
    for junk in ("", "x", "!!!!!!!!!!!!", "a" * 40, "abc.def"):
        assert links.read(SECRET, links.CLICK, junk) is None
    assert links.link_of({links.LINKS_KEY: ["javascript:alert(1)"]}, 0) is None
    assert links.link_of({links.LINKS_KEY: ["https://a.example"]}, 1) is None


def test_tokens_of_emails_sent_before_the_signer_form_still_read():
    """Emails already in inboxes carry the JSON serializer's tokens: their links keep working, and are as
    tamper-proof as before."""
    old_click = links._legacy_serializer(SECRET, links.CLICK).dumps([42, 3])
    old_open = links._legacy_serializer(SECRET, links.OPEN).dumps([42])
    assert links.read(SECRET, links.CLICK, old_click) == (42, 3)
    assert links.read(SECRET, links.OPEN, old_open) == (42, None)
    assert links.read(SECRET, links.UNSUBSCRIBE, old_open) is None
    assert links.read("other-secret", links.CLICK, old_click) is None


def test_email_tokens_are_short_and_url_safe():
    token = links.sign(SECRET, links.CLICK, 123456789, 61)
    assert re.fullmatch(r"[0-9A-Za-z]+-[0-9A-Za-z]+\.[A-Za-z0-9_-]+", token) and len(token) < 40
    assert links.read(SECRET, links.CLICK, token) == (123456789, 61)
    assert links.read(SECRET, links.OPEN, links.sign(SECRET, links.OPEN, 0)) == (0, None)


def test_tokens_are_exactly_itsdangerous_signer_tokens():
    """`sign` skips itsdangerous's layers for speed; what it makes must stay what `Signer` makes and reads."""
    for purpose in (links.OPEN, links.CLICK, links.UNSUBSCRIBE):
        for message_id, link in ((0, None), (42, 7), (10**12, 61)):
            token = links.sign(SECRET, purpose, message_id, link)
            value = token.rsplit(".", 1)[0]
            assert token == links._signer(SECRET, purpose).sign(value).decode()
