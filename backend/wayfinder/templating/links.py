"""Links in a rendered email body: only http(s), mailto and tel URLs (and scheme-less ones) may stay in an `href`.

Autoescaping keeps a customer attribute from adding markup, but not from being a URL: `<a href="{{ customer.site
}}">` with `javascript:alert(1)` in the attribute would stay a script link. `safe_links` runs on the rendered HTML
(the send step and the preview both call it), reads every `href` value as a browser would (HTML entities decoded,
tabs and line breaks removed, leading spaces and control characters stripped, the scheme case-folded) and replaces
a value whose scheme is not allowed (`javascript:`, `data:`, `vbscript:`, `file:` …) with `#`.
"""

from __future__ import annotations

import html
import re

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
BLOCKED = "#"

# A start tag, and its attributes one after the other (a quoted value is consumed whole, so `href=` inside
# another attribute's value is not read as an attribute).
_TAG = re.compile(r"<[a-zA-Z][^\s/>]*(?P<attrs>(?:\"[^\"]*\"|'[^']*'|[^'\">])*)>")
_ATTR = re.compile(
    r"""(?P<name>[^\s"'>/=]+)(?P<eq>\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+))"""
)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
# What browsers drop from a URL before reading its scheme: tabs and line breaks anywhere, leading C0 controls
# and spaces.
_REMOVED = re.compile(r"[\t\n\r]")
_LEADING = re.compile(r"^[\x00-\x20]+")


def allowed_url(value: str) -> bool:
    """Whether an href value (as it appears in the HTML) has no scheme or an allowed one."""
    url = _LEADING.sub("", _REMOVED.sub("", html.unescape(value)))
    url = _REMOVED.sub("", html.unescape(url))  # entities inside entities: `&amp;#106;` decodes in two steps
    match = _SCHEME.match(url)
    return match is None or match.group(1).lower() in ALLOWED_SCHEMES


def safe_links(body: str) -> str:
    """`body` with every href whose URL has a disallowed scheme replaced by `#`."""

    def attribute(match: re.Match[str]) -> str:
        if match["name"].lower().rpartition(":")[2] != "href":  # href, and xlink:href
            return match.group(0)
        value = next(v for v in (match["dq"], match["sq"], match["bare"]) if v is not None)
        if allowed_url(value):
            return match.group(0)
        return f'{match["name"]}{match["eq"]}"{BLOCKED}"'

    def tag(match: re.Match[str]) -> str:
        start, end = match.span("attrs")
        text = match.group(0)
        offset = match.start()
        return text[: start - offset] + _ATTR.sub(attribute, match["attrs"]) + text[end - offset :]

    return _TAG.sub(tag, body)
