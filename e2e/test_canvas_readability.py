"""The canvas stays readable at real size: journeys of 18 and 40 steps, laid out by the editor while still drafts,
then published with live numbers showing — no two steps overlap, fit view keeps every step's name at 11 px or
more on screen, branch edges say which branch they are. A clicked palette step lands in view, selected and
focused; a blank canvas has no minimap.

Screenshots (the S1-sized demo journey and the 40-step one at fit view, 1440×900 and 1280×720, English and
zh-TW) land in e2e/artifacts/screenshots/ (not committed) so a person can look at them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pages.editor import EditorPage
from pages.journeys import JourneysPage
from playwright.sync_api import Page, expect

from wayfinder.demo.seed import CONTENT, abandoned_cart_graph
from wayfinder.journeys.builder import GraphBuilder

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
VIEWPORTS = {"1440x900": {"width": 1440, "height": 900}, "1280x720": {"width": 1280, "height": 720}}

NAMES = {
    "en": {
        "cart": "Added to cart",
        "hour": "Give them an hour",
        "bought": "Purchased since?",
        "bought_exit": "Bought",
        "tier": "By member tier",
        "gold": "Gold",
        "silver": "Silver",
        "bronze": "Bronze",
        "reminder": "Reminder ({tier})",
        "opened": "Opened within a day?",
        "clicked": "Clicked through?",
        "engaged": "Engaged",
        "coupon": "Coupon for {tier}",
        "coupon_exit": "Coupon sent",
        "last": "Last chance ({tier})",
        "two_days": "Wait 2 days",
        "no_reply": "No reply",
        "ab": "A/B: offer",
        "offer": "Offer {arm}",
        "day": "Wait a day",
    },
    "zh-TW": {
        "cart": "加入購物車",
        "hour": "等一小時",
        "bought": "已經購買了嗎？",
        "bought_exit": "已購買",
        "tier": "依會員等級",
        "gold": "金卡",
        "silver": "銀卡",
        "bronze": "銅卡",
        "reminder": "{tier}提醒信",
        "opened": "一天內開信？",
        "clicked": "有點連結嗎？",
        "engaged": "有互動",
        "coupon": "{tier}優惠券",
        "coupon_exit": "已送優惠券",
        "last": "{tier}最後機會",
        "two_days": "等兩天",
        "no_reply": "沒有回應",
        "ab": "A/B 測試：優惠",
        "offer": "優惠 {arm}",
        "day": "等一天",
    },
}


def _names(language: str):
    return NAMES[language]


def _abandoned_cart_start(g: GraphBuilder, n: dict, at: dict) -> None:
    """Cart → wait an hour → bought? (yes: exit); the journey goes on from bought's "no"."""
    g.chain(
        g.trigger("cart", event="cart_updated", label=n["cart"], **at),
        g.wait("hour", hours=1, label=n["hour"], **at),
        g.condition("bought", event="purchase", label=n["bought"], **at),
    )
    g.connect("bought", g.exit("bought_exit", label=n["bought_exit"], **at), handle="yes")


def forty_step_graph(language: str = "en") -> dict:
    """Cart → wait → bought? (yes: exit) → split by tier (gold / silver / bronze / everyone else), each tier a
    reminder → opened? → clicked? / coupon, or a last chance after a wait: 40 steps, 4 columns of branches.
    Every step at (0, 0): the editor lays it out."""
    n = _names(language)
    g = GraphBuilder()
    at = {"x": 0, "y": 0}
    _abandoned_cart_start(g, n, at)
    tiers = [("gold", n["gold"]), ("silver", n["silver"]), ("bronze", n["bronze"])]
    rows = [{"id": tier, "label": label, "values": [tier]} for tier, label in tiers]
    g.node("tier", "split", {"attribute": "tier", "branches": rows}, label=n["tier"], **at)
    g.connect("bought", "tier", handle="no")
    for tier, label in [*tiers, ("default", "")]:
        name = label or n["no_reply"]
        reminder = g.email(f"reminder_{tier}", label=n["reminder"].format(tier=name), **at)
        g.connect("tier", reminder, handle=tier)
        g.connect(reminder, g.wait_for_event(f"opened_{tier}", "email_opened", label=n["opened"], **at))
        g.connect(
            f"opened_{tier}",
            g.condition(f"clicked_{tier}", event="email_clicked", label=n["clicked"], **at),
            "happened",
        )
        g.connect(f"clicked_{tier}", g.exit(f"engaged_{tier}", label=n["engaged"], **at), handle="yes")
        g.connect(f"clicked_{tier}", g.email(f"coupon_{tier}", label=n["coupon"].format(tier=name), **at), handle="no")
        g.connect(f"coupon_{tier}", g.exit(f"coupon_exit_{tier}", label=n["coupon_exit"], **at))
        last = g.email(f"last_{tier}", label=n["last"].format(tier=name), **at)
        g.connect(f"opened_{tier}", last, handle="timed_out")
        if tier == "default":  # everyone else: no wait before the end (40 steps in all)
            g.connect(last, g.exit(f"no_reply_{tier}", label=n["no_reply"], **at))
        else:
            g.chain(last, g.wait(f"two_days_{tier}", days=2, label=n["two_days"], **at))
            g.connect(f"two_days_{tier}", g.exit(f"no_reply_{tier}", label=n["no_reply"], **at))
    graph = g.build()
    assert len(graph["nodes"]) == 40
    return graph


def eighteen_step_graph(language: str = "en") -> dict:
    """Cart → wait → bought? (yes: exit) → reminder → A/B split → per arm: offer → opened? → engaged, or a day
    later a last chance: 18 steps."""
    n = _names(language)
    g = GraphBuilder()
    at = {"x": 0, "y": 0}
    _abandoned_cart_start(g, n, at)
    g.connect("bought", g.email("reminder", label=n["reminder"].format(tier=""), **at), handle="no")
    branches = [{"id": arm, "label": arm, "percent": 50} for arm in ("A", "B")]
    g.connect("reminder", g.node("ab", "random_split", {"branches": branches}, label=n["ab"], **at))
    for arm in ("A", "B"):
        g.connect("ab", g.email(f"offer_{arm}", label=n["offer"].format(arm=arm), **at), handle=arm)
        g.connect(f"offer_{arm}", g.wait_for_event(f"opened_{arm}", "email_opened", label=n["opened"], **at))
        g.connect(f"opened_{arm}", g.exit(f"engaged_{arm}", label=n["engaged"], **at), handle="happened")
        g.connect(f"opened_{arm}", g.wait(f"day_{arm}", days=1, label=n["day"], **at), handle="timed_out")
        g.connect(f"day_{arm}", g.email(f"last_{arm}", label=n["last"].format(tier=arm), **at))
        g.connect(f"last_{arm}", g.exit(f"no_reply_{arm}", label=n["no_reply"], **at))
    graph = g.build()
    assert len(graph["nodes"]) == 18
    return graph


def _steady_viewport(page: Page) -> float:
    """Wait until the viewport stops moving (a fit animates), then return its zoom."""
    page.wait_for_function(
        """() => new Promise(resolve => {
            const read = () => getComputedStyle(document.querySelector('.react-flow__viewport')).transform;
            const first = read();
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(read() === first)));
        })"""
    )
    return page.evaluate(
        "() => new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')).transform).a"
    )


def _laid_out_and_published(page: Page, api, name: str, graph: dict, customers: int = 0) -> tuple[dict, EditorPage]:
    """Create the journey with every step at (0, 0), tidy it up in the editor (a draft: no numbers yet), let
    autosave keep the layout, publish it and send `customers` into it; returns it open in the editor."""
    journey = api.create_journey(name, graph)
    editor = EditorPage(page).open(journey["id"])
    page.get_by_test_id("auto-layout-button").click()
    page.wait_for_function(
        """async (id) => {
            const j = await (await fetch(`/api/journeys/${id}`)).json();
            return new Set(j.graph.nodes.map(n => `${n.position.x},${n.position.y}`)).size === j.graph.nodes.length;
        }""",
        arg=journey["id"],
        polling=250,
    )
    expect(page.get_by_test_id("save-state")).to_have_attribute("data-dirty", "false")
    api.post(f"/api/journeys/{journey['id']}/publish")
    for i in range(customers):
        api.post(
            "/api/customers", {"external_id": f"read-{journey['id']}-{i}", "email": f"r{journey['id']}-{i}@example.com"}
        )
        api.post(
            "/api/events",
            {
                "event_id": f"read-{journey['id']}-{i}",
                "customer_id": f"read-{journey['id']}-{i}",
                "name": "cart_updated",
            },
        )
    editor.open(journey["id"])
    expect(editor.status).to_have_attribute("data-status", "published")
    return journey, editor


def _overlaps(page: Page, selector: str) -> list[tuple[str, str]]:
    """Pairs of elements matching `selector` whose on-screen boxes intersect."""
    return page.evaluate(
        """(selector) => {
            const boxes = [...document.querySelectorAll(selector)].map(el => {
                const r = el.getBoundingClientRect();
                return { id: el.dataset.testid || el.dataset.id, l: r.left, t: r.top, r: r.right, b: r.bottom };
            });
            const hits = [];
            for (let i = 0; i < boxes.length; i++)
                for (let j = i + 1; j < boxes.length; j++) {
                    const a = boxes[i], b = boxes[j];
                    if (a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b) hits.push([a.id, b.id]);
                }
            return hits;
        }""",
        selector,
    )


def _name_sizes(page: Page, zoom: float) -> dict[str, float]:
    """Each step's name as rendered on screen (font size × zoom), from whichever form the zoom shows."""
    sizes = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('[data-node-id]')].map(node => {
            const name = node.querySelector(node.dataset.far === 'true' ? '.step-far-name' : '.step-label');
            return [node.dataset.nodeId, parseFloat(getComputedStyle(name).fontSize)];
        }))"""
    )
    return {node: size * zoom for node, size in sizes.items()}


@pytest.mark.parametrize(
    ("steps", "graph"), [(40, forty_step_graph), (18, eighteen_step_graph)], ids=["40-steps", "18-steps"]
)
def test_real_size_journeys_stay_readable_and_apart_once_live(page: Page, api, steps, graph):
    page.set_viewport_size(VIEWPORTS["1280x720"])
    journey, editor = _laid_out_and_published(page, api, f"E2E readable {steps}", graph(), customers=3)
    expect(editor.count("cart", "entered")).to_have_text("3", timeout=20_000)
    expect(editor.count("hour", "entered")).to_have_text("3")
    # Every step has its numbers' strip now (taller than when it was laid out).
    expect(page.locator("[data-testid^='node-counts-']")).to_have_count(steps)

    page.get_by_test_id("fit-view-button").click()
    zoom = _steady_viewport(page)
    small = {node: round(px, 1) for node, px in _name_sizes(page, zoom).items() if px < 11}
    assert not small, f"at fit view (zoom {zoom:.2f}) these step names render under 11 px: {small}"
    assert _overlaps(page, ".react-flow__node") == []
    # Branch labels sit over the step they lead to: none covers a step or another label.
    labels = page.locator("[data-testid^='edge-split-']")
    expect(labels.first).to_be_visible()
    assert _overlaps(page, ".react-flow__node, [data-testid^='edge-split-']") == []

    # Zoomed in, the full card (type, summary, every number) is back, still apart.
    for _ in range(7):  # 0.33 × 1.2⁷ ≈ 1.18, capped at 100 %… well past the 82 % switch
        page.get_by_role("button", name="Zoom In").click()
    expect(editor.node("cart")).to_have_attribute("data-far", "false")
    assert _overlaps(page, ".react-flow__node") == []


def test_branch_edges_say_which_branch(page: Page, api):
    journey, editor = _laid_out_and_published(page, api, "E2E branch names", eighteen_step_graph(), customers=2)
    expect(editor.count("cart", "entered")).to_have_text("2", timeout=20_000)
    edge = "[data-edge-id][data-source='{0}'][data-source-handle='{1}']"
    for source, handle, name in [
        ("bought", "yes", "Yes"),
        ("bought", "no", "No"),
        ("ab", "A", "A"),
        ("opened_A", "timed_out", "Timed out"),
    ]:
        edge_id = page.locator(edge.format(source, handle)).get_attribute("data-edge-id")
        expect(page.get_by_test_id(f"edge-split-{edge_id}").locator(".edge-split-name")).to_have_text(name)
    # zh-TW: the same branches, translated.
    JourneysPage(page).open().set_language("zh-TW")
    editor.open(journey["id"])
    edge_id = page.locator(edge.format("bought", "yes")).get_attribute("data-edge-id")
    expect(page.get_by_test_id(f"edge-split-{edge_id}").locator(".edge-split-name")).to_have_text("是")


def _long_chain_laid_out(page: Page, api, name: str) -> EditorPage:
    """A 12-step chain, every step at (0, 0), opened in the editor at 1280x720."""
    page.set_viewport_size(VIEWPORTS["1280x720"])
    g = GraphBuilder()
    steps = [g.trigger("cart", event="cart_updated", label="Added to cart", x=0, y=0)]
    steps += [g.wait(f"wait_{i}", hours=i + 1, label=f"Wait {i + 1} h", x=0, y=0) for i in range(10)]
    g.chain(*steps, g.exit("done", label="Done", x=0, y=0))
    journey = api.create_journey(name, g.build())
    return EditorPage(page).open(journey["id"])


def test_a_clicked_palette_step_lands_in_view_selected_and_focused(page: Page, api):
    """A long chain fills the middle of the view from top to bottom: a clicked step used to go below its last
    step, out of sight; now it takes free room in view (or the view follows it), selected and focused."""
    editor = _long_chain_laid_out(page, api, "E2E palette in view")
    page.get_by_test_id("auto-layout-button").click()
    _steady_viewport(page)
    expect(page.locator(".react-flow__node.selected")).to_have_count(0)
    before = set(editor.node_ids())
    page.get_by_test_id("palette-item-wait").click()
    _check_the_new_step_is_in_view(page, editor, before)


def test_a_palette_step_clicked_while_the_fit_still_moves_lands_in_view(page: Page, api):
    """Clicked right after auto-layout, while its fit still animates: the step used to be placed in a frame of
    the animation (zoomed in, far up the chain) and the fit then carried it above the canvas."""
    editor = _long_chain_laid_out(page, api, "E2E palette during fit")
    _steady_viewport(page)
    before = set(editor.node_ids())
    # Both clicks from the page itself: the palette one the frame the fit's animation starts moving the view.
    page.evaluate(
        """() => new Promise(resolve => {
            const transform = () => getComputedStyle(document.querySelector('.react-flow__viewport')).transform;
            const start = transform();
            document.querySelector('[data-testid=auto-layout-button]').click();
            const wait = () => {
                if (transform() === start) return requestAnimationFrame(wait);
                document.querySelector('[data-testid=palette-item-wait]').click();
                resolve();
            };
            requestAnimationFrame(wait);
        })"""
    )
    _check_the_new_step_is_in_view(page, editor, before)


def _check_the_new_step_is_in_view(page: Page, editor: EditorPage, before: set[str]) -> None:
    """The one step added since `before`: wholly inside the canvas, clear of the others, selected and focused."""
    page.wait_for_function("n => document.querySelectorAll('[data-node-id]').length > n", arg=len(before))
    (new_id,) = set(editor.node_ids()) - before
    node = page.locator(f".react-flow__node[data-id='{new_id}']")
    # The new step is not connected yet: once the check answers, its summary opens a banner strip above the
    # canvas, which moves the canvas down. Compare the two boxes after that, not while it happens.
    expect(page.get_by_test_id("validation-summary")).to_be_visible()
    _steady_viewport(page)
    box = node.bounding_box()
    canvas = editor.canvas.bounding_box()
    assert canvas["x"] <= box["x"] and box["x"] + box["width"] <= canvas["x"] + canvas["width"], (box, canvas)
    assert canvas["y"] <= box["y"] and box["y"] + box["height"] <= canvas["y"] + canvas["height"], (box, canvas)
    assert _overlaps(page, ".react-flow__node") == []
    expect(node).to_have_class(re.compile(r"\bselected\b"))
    expect(node).to_be_focused()
    expect(page.get_by_test_id("settings-panel")).to_be_visible()


def test_a_blank_canvas_has_no_minimap_until_it_has_steps(page: Page, api):
    journey = api.create_journey("E2E blank minimap")
    editor = EditorPage(page).open(journey["id"])
    expect(page.get_by_test_id("canvas-empty")).to_be_visible()
    expect(page.locator(".react-flow__minimap")).to_have_count(0)
    editor.drag_step("event_trigger", 300, 120)
    expect(page.locator(".react-flow__minimap")).to_be_visible()


@pytest.mark.parametrize("size", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_screenshots_at_fit_view(page: Page, api, language, size):
    """The S1 demo journey and a 40-step journey, published with numbers, at fit view."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(VIEWPORTS[size])
    JourneysPage(page).open().set_language(language)

    # The demo as `wayfinder dev` seeds it in this language (names, steps and emails in the UI's language).
    demo = api.publish_journey(CONTENT[language]["cart"]["name"], abandoned_cart_graph(language))
    for i in range(4):
        api.post(
            "/api/events",
            {
                "event_id": f"fit-{demo['id']}-{i}",
                "customer_id": f"fit-{i}",
                "name": "cart_updated",
                "properties": {"product": "Serum", "total": 1280},
            },
        )
    editor = EditorPage(page).open(demo["id"])
    expect(editor.count("cart", "entered")).to_have_text("4", timeout=20_000)
    page.get_by_test_id("fit-view-button").click()
    zoom = _steady_viewport(page)
    assert min(_name_sizes(page, zoom).values()) >= 11
    assert _overlaps(page, ".react-flow__node, [data-testid^='edge-split-']") == []
    page.screenshot(path=SHOTS / f"canvas-demo-fit-{language}-{size}.png")

    _journey, editor = _laid_out_and_published(
        page, api, NAMES[language]["cart"] + " · 40", forty_step_graph(language), 5
    )
    expect(editor.count("cart", "entered")).to_have_text("5", timeout=20_000)
    page.get_by_test_id("fit-view-button").click()
    zoom = _steady_viewport(page)
    assert min(_name_sizes(page, zoom).values()) >= 11
    page.screenshot(path=SHOTS / f"canvas-40-steps-fit-{language}-{size}.png")
    for _ in range(6):  # close up: the full cards with their breakdown
        page.get_by_role("button", name="Zoom In").click()
    expect(editor.node("cart")).to_have_attribute("data-far", "false")
    _steady_viewport(page)
    assert _overlaps(page, ".react-flow__node") == []
    page.screenshot(path=SHOTS / f"canvas-40-steps-near-{language}-{size}.png")


# Where a zoomed-out name's lines begin, when one begins inside a word (Intl.Segmenter's, as the browser knows
# them) or with closing punctuation: "傳送 LINE 訊|息" is a break in the wrong place.
MID_WORD_BREAKS = """(names) => names.flatMap((el) => {
    const text = el.textContent;
    const tops = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            tops.push(rect ? rect.top : null);
        }
    }
    const words = new Set([...new Intl.Segmenter('zh-TW', { granularity: 'word' }).segment(text)].map((s) => s.index));
    const bad = [];
    for (let i = 1; i < text.length; i++) {
        const starts = tops[i] !== null && tops[i - 1] !== null && tops[i] > tops[i - 1] + 4 && text[i] !== ' ';
        const wrong = !words.has(i) || /[\\p{Pe}\\p{Pf}\\p{Po}]/u.test(text[i]);
        if (starts && wrong) bad.push(text.slice(0, i) + '|' + text.slice(i));
    }
    return bad;
})"""


def test_zoomed_out_chinese_names_break_between_words(page: Page, api):
    """Zoomed out, a zh-TW name wraps between its words (「提醒 | 簡訊」), never between two characters of one word,
    also on a card whose alert icon leaves the name less room; its whole text is the card's tooltip."""
    page.set_viewport_size(VIEWPORTS["1280x720"])
    JourneysPage(page).open().set_language("zh-TW")
    g = GraphBuilder()
    g.trigger("cart", event="cart_updated", label="加入購物車", x=0, y=0)
    g.node("sms", "send_sms", {"text": "您的購物車還有商品"}, label="提醒簡訊", x=0, y=220)
    g.node("line", "send_line", {"messages": [{"type": "text", "text": "嗨"}]}, x=0, y=440)  # 「傳送 LINE 訊息」
    g.node("hook", "send_webhook", {"url": "", "body": "{}"}, x=0, y=660)  # 「Webhook 呼叫」, to finish
    g.node("todo", "send_sms", {"text": ""}, label="銀卡會員最後機會優惠券", x=0, y=880)
    g.chain("cart", "sms", "line", "hook", "todo")
    journey = api.create_journey("中文名稱換行", g.build())
    editor = EditorPage(page).open(journey["id"])
    page.get_by_test_id("fit-view-button").click()
    _steady_viewport(page)
    expect(editor.node("sms")).to_have_attribute("data-far", "true")
    names = page.locator(".step-far-name")
    expect(names).to_have_count(5)
    assert names.evaluate_all(MID_WORD_BREAKS) == []
    expect(editor.node("todo")).to_have_attribute("title", "銀卡會員最後機會優惠券")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "canvas-zh-TW-names-far.png")


def test_branches_of_one_name_into_one_step_share_one_label_with_their_customers_summed(page: Page, api):
    """Two "No" branches lead to the same step: one "No" label over it (not two stacked), counting both."""
    g = GraphBuilder()
    g.trigger("cart", event="cart_updated", label="Added to cart")
    g.condition("gold", attribute="tier", op="eq", value="gold", label="Gold member?")
    g.condition("big", attribute="basket", op="eq", value="big", label="Big basket?")
    g.exit("thanks", label="Thanks")
    g.exit("bye", label="Bye")
    g.connect("cart", "gold")
    g.connect("gold", "big", "yes")
    g.connect("gold", "bye", "no")
    g.connect("big", "thanks", "yes")
    g.connect("big", "bye", "no")
    journey, editor = _laid_out_and_published(page, api, "E2E one label", g.build(), customers=2)  # not gold: No
    api.post("/api/customers", {"external_id": "one-label-gold", "attributes": {"tier": "gold", "basket": "small"}})
    api.post("/api/events", {"event_id": "one-label-gold", "customer_id": "one-label-gold", "name": "cart_updated"})

    into_bye = page.locator("[data-edge-id][data-target='bye']")
    expect(into_bye).to_have_count(2)
    ids = [into_bye.nth(i).get_attribute("data-edge-id") for i in range(2)]
    labels = page.locator(", ".join(f"[data-testid='edge-split-{edge_id}']" for edge_id in ids))
    expect(labels).to_have_count(1)
    expect(labels).to_have_attribute("data-merged", "2")
    expect(labels).to_have_attribute("data-count", "3", timeout=20_000)  # 2 not gold + 1 gold with a small basket
    expect(labels.locator(".edge-split-name")).to_have_text("No")
    expect(labels.locator(".edge-split-numbers")).to_have_text(re.compile(r"^3( customers)?$"))  # no percent: the
    # shares are of two different steps
    assert _overlaps(page, ".react-flow__node, [data-testid^='edge-split-']") == []
