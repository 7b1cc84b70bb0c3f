"""A customer attribute rendered into an email link keeps only http(s), mailto and tel URLs (templating/links.py)."""

from __future__ import annotations

import pytest

from wayfinder.content.preview import render_email
from wayfinder.templating.links import safe_links

BODY = "<p><a href=\"{{ customer.site }}\">My site</a> <a href='{{ customer.site }}'>again</a></p>"


def rendered(site: str) -> str:
    out = render_email({"subject": "Hi", "body": BODY}, {"site": site}, {})
    assert not out["errors"]
    return out["body"]


@pytest.mark.parametrize(
    "site",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "  javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "jav&#x61;script:alert(1)",
        "&#106;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "DATA:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "file:///etc/passwd",
    ],
)
def test_a_dangerous_url_from_a_variable_does_not_stay_in_an_href(site):
    body = rendered(site)
    assert body.count('href="#"') == 2, body
    assert "script:" not in body.lower().replace("&#", "")
    assert "data:" not in body.lower()


@pytest.mark.parametrize(
    "site",
    ["https://example.com/a?b=1&c=2", "http://example.com", "mailto:amy@example.com", "tel:+886-2-1234-5678", "/p/1"],
)
def test_http_mailto_tel_and_relative_links_stay(site):
    body = rendered(site)
    assert 'href="#"' not in body
    assert body.count("href=") == 2


def test_the_marketers_own_links_and_unquoted_values_are_checked_the_same_way():
    assert safe_links("<a href=javascript:alert(1)>x</a>") == '<a href="#">x</a>'
    assert safe_links('<a HREF = "https://shop.example">x</a>') == '<a HREF = "https://shop.example">x</a>'
    assert safe_links('<a title="href=javascript:x" href="tel:1">') == '<a title="href=javascript:x" href="tel:1">'
