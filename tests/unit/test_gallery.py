"""The journey gallery: every template, in both languages, validates and publishes as it is, reads as a marketer
writes (zh-TW with 您 and no English step names; no internal codes), and lists the channels it sends on."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from wayfinder.journeys import gallery
from wayfinder.journeys.gallery.base import SEND_CHANNELS, channels_of, days_ahead
from wayfinder.journeys.graph import validate_graph
from wayfinder.journeys.service import check

# What may stay in Latin letters in the zh-TW copy: channels, codes, currency, product words.
LATIN_ALLOWED = {"LINE", "App", "Email", "NT", "SPF50", "GOLD85", "HYDRA20", "C"}
CASES = [(t, lang) for t in gallery.templates() for lang in gallery.LANGUAGES]
IDS = [f"{t.key}-{lang}" for t, lang in CASES]


def _with_zone(graph: dict) -> dict:
    """As `create_journey` stores it: the journey in the workspace's zone."""
    return {**graph, "settings": {**graph["settings"], "timezone": "Asia/Taipei"}}


COPY_KEYS = {"subject", "body", "text", "title", "label", "tag"}


def _texts(graph: dict) -> list[str]:
    """Every string a marketer or a customer reads in the graph: step names and the settings that are copy
    (subjects, bodies, texts, titles, button and path names, tags), not data (event names, filter values)."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            for key, v in value.items():
                if key in COPY_KEYS and isinstance(v, str):
                    found.append(v)
                else:
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for node in graph["nodes"]:
        found.append(node["data"]["label"])
        walk(node["data"]["settings"])
    return found


def _readable(text: str) -> str:
    text = re.sub(r"\{\{.*?\}\}", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"(https?|myshop)://\S+", " ", text)


def test_the_gallery_lists_s1_to_s8_in_order_and_finds_each_by_key():
    keys = [t.key for t in gallery.templates()]
    assert [k[:2] for k in keys] == [f"s{i}" for i in range(1, 9)]
    assert all(gallery.get(k).key == k for k in keys)
    assert gallery.get("s9_nothing") is None
    with pytest.raises(ValueError):
        gallery.templates()[0]("fr")


@pytest.mark.parametrize(("template", "lang"), CASES, ids=IDS)
def test_every_template_validates_with_no_error_or_warning(template, lang):
    made = template(lang)
    graph = _with_zone(made["graph"])
    assert made["key"] == template.key
    assert validate_graph(graph) == []
    assert check(graph) == []


@pytest.mark.parametrize(("template", "lang"), CASES, ids=IDS)
def test_names_descriptions_and_labels_are_written_out(template, lang):
    made = template(lang)
    assert made["name"].strip() and made["description"].strip()
    assert not re.search(r"\bS\d\b", made["name"] + made["description"])  # no scenario codes
    labels = [n["data"]["label"] for n in made["graph"]["nodes"]]
    assert all(label.strip() for label in labels)
    if lang == "zh-TW":
        assert not [label for label in labels if label.isascii()], labels
        assert re.search(r"[\u4e00-\u9fff]", made["name"] + made["description"])


@pytest.mark.parametrize("template", gallery.templates(), ids=lambda t: t.key)
def test_zh_tw_speaks_to_the_customer_as_您_with_no_english_left(template):
    made = template("zh-TW")
    texts = [made["name"], made["description"], *_texts(made["graph"])]
    assert not [t for t in texts if "你" in t]
    defaults = [d for t in texts for d in re.findall(r"default\('([^']*)'\)", t)]
    assert all(not re.search(r"[A-Za-z]", d) for d in defaults), defaults
    latin = {w for t in texts for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", _readable(t))}
    assert latin <= LATIN_ALLOWED, latin - LATIN_ALLOWED


@pytest.mark.parametrize(("template", "lang"), CASES, ids=IDS)
def test_the_channels_listed_are_the_send_steps_channels(template, lang):
    made = template(lang)
    sends = {SEND_CHANNELS[n["type"]] for n in made["graph"]["nodes"] if n["type"] in SEND_CHANNELS}
    assert set(made["channels"]) == sends
    assert len(made["channels"]) == len(set(made["channels"]))
    assert channels_of(made["graph"]) or template.key == "s5_daily_tagging"


def test_node_ids_are_the_same_in_both_languages():
    for template in gallery.templates():
        ids = [[n["id"] for n in template(lang)["graph"]["nodes"]] for lang in gallery.LANGUAGES]
        assert ids[0] == ids[1]


def _edges(key: str) -> dict[tuple[str, str | None], str]:
    """The English template's edges: (source, output) → target."""
    return {(e["source"], e.get("sourceHandle")): e["target"] for e in gallery.get(key)("en")["graph"]["edges"]}


def test_scenario_specifics():
    s1 = gallery.get("s1_abandoned_cart")("en")["graph"]
    nodes = {n["id"]: n for n in s1["nodes"]}
    assert nodes["wait_1h"]["data"]["settings"] == {"amount": 1, "unit": "hours"}
    assert nodes["wait_open"]["type"] == "wait_for_engagement"
    wait_open = nodes["wait_open"]["data"]["settings"]
    assert (wait_open["message_step"], wait_open["timeout_amount"], wait_open["timeout_unit"]) == (
        "reminder_email",
        24,
        "hours",
    )
    assert nodes["purchase"]["type"] == "goal"
    edges = _edges("s1_abandoned_cart")
    # Unreachable customers escalate email → LINE → SMS, and leave when no channel reaches them.
    assert (edges[("reminder_email", "unreachable")], edges[("line", "unreachable")]) == ("line", "sms")
    assert edges[("sms", "unreachable")] == "unreached" and nodes["unreached"]["type"] == "exit"
    assert (edges[("wait_open", "engaged")], edges[("wait_open", "timeout")]) == ("opened", "line")

    s2 = {n["id"]: n for n in gallery.get("s2_countdown_sale")("zh-TW")["graph"]["nodes"]}
    countdown = s2["countdown"]["data"]["settings"]
    assert (countdown["offset"], countdown["direction"], countdown["date"]) == (
        3,
        "before",
        (days_ahead(0) + timedelta(days=30)).isoformat(),
    )

    s2_edges = _edges("s2_countdown_sale")
    for group in ("women", "men", "other"):
        assert s2[f"{group}_open"]["data"]["settings"]["message_step"] == f"{group}_email"
        assert s2_edges[(f"{group}_open", "timeout")] == "push"

    s8 = {n["id"]: n for n in gallery.get("s8_email_drip")("en")["graph"]["nodes"]}
    assert s8["opened_intro"]["data"]["settings"] == {"kind": "message", "step": "intro_email", "engagement": "opened"}
    assert s8["opened_promo"]["data"]["settings"]["step"] == "promo_email"
    s8_edges = _edges("s8_email_drip")
    # An email that cannot go out ends the drip there, not after a wait for its open.
    for email_step in ("intro", "promo", "closing"):
        assert s8_edges[(f"{email_step}_email", "unreachable")] == f"{email_step}_unreached"
        assert s8[f"{email_step}_unreached"]["type"] == "exit"

    s5 = {n["id"]: n for n in gallery.get("s5_daily_tagging")("zh-TW")["graph"]["nodes"]}
    assert s5["midnight"]["data"]["settings"]["time"] == "00:00"
    assert s5["oily_skin"]["data"]["settings"]["weight_by"] == "events"

    s6 = {n["id"]: n for n in gallery.get("s6_coupon_offer")("en")["graph"]["nodes"]}
    paths = s6["reply"]["data"]["settings"]["paths"]
    assert [(p["event"], p["filters"][0]["value"]) for p in paths] == [
        ("coupon_reply", "accept"),
        ("coupon_reply", "decline"),
    ]
    s6_edges = _edges("s6_coupon_offer")
    # No one waits two days for an answer to an offer that never reached them.
    assert (s6_edges[("offer", "unreachable")], s6_edges[("last_places", "unreachable")]) == (
        "not_on_line",
        "left_line",
    )

    s7 = {n["id"]: n for n in gallery.get("s7_store_opening")("zh-TW")["graph"]["nodes"]}
    assert s7["opening_day"]["data"]["settings"]["audience"]["conditions"][0]["value"] == "高雄市"
    assert (
        gallery.get("s7_store_opening")("en")["graph"]["nodes"][0]["data"]["settings"]["audience"]["conditions"][0][
            "value"
        ]
        == "Kaohsiung"
    )
