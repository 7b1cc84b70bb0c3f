"""The demo's words: zh-TW written as a Taiwanese marketer writes (您 throughout, no English left in it) and
English; no internal codes (like the scenario code "S1") in what a marketer reads; every graph valid."""

from __future__ import annotations

import re

import pytest

from wayfinder.demo.seed import CITIES, CONTENT, LANGUAGES, abandoned_cart_graph, welcome_graph
from wayfinder.demo.traffic import PRODUCTS
from wayfinder.journeys.graph import blocking, validate_graph

# What may stay in Latin letters in the zh-TW copy: the brand, the coupon code, currency and product units.
LATIN_ALLOWED = {"Wayfinder", "COMEBACK10", "NT", "SPF50", "ml"}


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return [s for v in value for s in _strings(v)] if isinstance(value, list | tuple) else []


def _readable(text: str) -> str:
    """What a reader sees: template expressions, HTML tags and links removed."""
    text = re.sub(r"\{\{.*?\}\}", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"https?://\S+", " ", text)


def test_the_zh_tw_demo_addresses_the_customer_as_您_and_has_no_english_left():
    texts = _strings(CONTENT["zh-TW"]) + _strings(CITIES["zh-TW"]) + [p for p, _ in PRODUCTS["zh-TW"]]
    assert not [t for t in texts if "你" in t]  # one register: 您
    defaults = [d for t in _strings(CONTENT["zh-TW"]) for d in re.findall(r"default\('([^']*)'\)", t)]
    assert defaults and all(not re.search(r"[A-Za-z]", d) for d in defaults), defaults
    latin = {w for t in texts for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", _readable(t))}
    assert latin <= LATIN_ALLOWED, latin - LATIN_ALLOWED
    emails = [CONTENT["zh-TW"]["cart"]["reminder_body"], CONTENT["zh-TW"]["welcome"]["body"]]
    assert all("您好" in body for body in emails)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_descriptions_carry_no_internal_codes(lang):
    for journey in CONTENT[lang].values():
        assert not re.search(r"\b[A-Z]\d+\b|[A-Z]\d+[:：]", journey["description"]), journey["description"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_both_demo_journeys_are_valid_and_labelled_in_their_language(lang):
    for graph, key in ((abandoned_cart_graph(lang), "cart"), (welcome_graph(lang), "welcome")):
        assert blocking(validate_graph(graph)) == []
        labels = {n["id"]: n["data"]["label"] for n in graph["nodes"]}
        assert labels == CONTENT[lang][key]["labels"]


def test_english_stays_the_default_of_the_graph_helpers_tests_build_on():
    assert abandoned_cart_graph()["nodes"][0]["data"]["label"] == "Added to cart"
