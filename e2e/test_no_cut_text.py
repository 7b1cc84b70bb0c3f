"""No text a marketer reads is cut off: step names and summaries on the canvas, every field of every step's form
(the audience's "Kaohsiung"), the journey settings, the lists — at 1440×900 and 1280×720, in both languages.
Text may wrap; where a box must stay one line, its full text is in a tooltip (`title`)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from pages.editor import EditorPage
from pages.outbox import OutboxPage
from pages.viewports import sizes_and_languages
from playwright.sync_api import Page, expect
from test_flow_screenshots import FORMS, member_day_graph

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots" / "cut-text"

# Every visible element whose text does not fit its box (an input's value wider than the input; a one-line or
# line-clamped box narrower or shorter than its text) and whose full text is not in its own or a parent's title.
CUT = """(root) => {
  const cut = [];
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const titled = (el, text) => {
    for (let e = el; e; e = e.parentElement) if (e.title && e.title.includes(text)) return true;
    return false;
  };
  const describe = (el, text) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`
    + `[${el.dataset.testid ?? el.getAttribute('aria-label') ?? ''}] "${text}"`
    + ` (${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight})`;
  const tags = 'input, div, span, p, td, th, li, label, dd, dt, h1, h2, h3, a, code, button, summary';
  for (const el of root.querySelectorAll(tags)) {
    if (!visible(el) || el.closest('[aria-hidden=true], .react-flow__minimap, .sr-only')) continue;
    if (el.matches('input')) {
      if (!['text', 'search', 'email', ''].includes(el.type) || !el.value) continue;
      if (el.scrollWidth > el.clientWidth + 1 && !titled(el, el.value)) cut.push(describe(el, el.value));
      continue;
    }
    const cs = getComputedStyle(el);
    const text = (el.innerText ?? '').trim();
    if (!text) continue;
    const clipsX = cs.overflowX !== 'visible' || cs.textOverflow === 'ellipsis';
    const clipsY = cs.overflowY === 'hidden' || cs.webkitLineClamp !== 'none';
    const overX = clipsX && cs.overflowX !== 'auto' && cs.overflowX !== 'scroll' && el.scrollWidth > el.clientWidth + 1;
    const overY = clipsY && cs.overflowY === 'hidden' && el.scrollHeight > el.clientHeight + 2;
    if ((overX || overY) && !titled(el, text.split('\\n')[0])) cut.push(describe(el, text));
  }
  return cut;
}"""


# Every visible dropdown whose chosen option runs under its arrow (drawn as a background with `appearance: none`): the
# text, from the left padding, must end before the arrow's left edge and inside the content box.
SELECTS_CUT = """(root) => {
  const cut = [];
  const ctx = document.createElement('canvas').getContext('2d');
  for (const el of root.querySelectorAll('select:not([multiple])')) {
    if (el.getClientRects().length === 0 || el.closest('[aria-hidden=true]')) continue;
    const cs = getComputedStyle(el);
    const text = el.selectedOptions[0]?.text ?? '';
    if (!text) continue;
    ctx.font = cs.font;
    const width = ctx.measureText(text).width;
    const px = (v) => parseFloat(v) || 0;
    let room = el.clientWidth - px(cs.paddingRight);
    if (cs.backgroundImage !== 'none') {
      // background-position-x computes to "calc(100% - 9px)": the 12 px arrow ends that far from the right.
      const inset = px((cs.backgroundPositionX.match(/-\\s*([\\d.]+)px/) ?? [])[1]);
      room = Math.min(room, el.clientWidth - inset - 12);
    }
    if (px(cs.paddingLeft) + width > room + 1) {
      const name = el.dataset.testid ?? el.getAttribute('aria-label') ?? '';
      const before = Math.round(room - px(cs.paddingLeft));
      cut.push(`select[${name}] "${text}" (${Math.round(width)} px of text, ${before} px before the arrow)`);
    }
  }
  return cut;
}"""


def _cut(page: Page, where: str, root: str = "body") -> list[str]:
    found = page.locator(root).first.evaluate(CUT) + page.locator(root).first.evaluate(SELECTS_CUT)
    return [f"{where}: {c}" for c in found]


def _graph() -> dict:
    graph = copy.deepcopy(member_day_graph())
    for node in graph["nodes"]:
        if node["id"] == "member_day":  # "Every Wed at 1…" in the issue: a summary that must be read whole
            node["data"]["settings"]["time"] = "13:00"
            node["data"]["settings"]["weekdays"] = ["mon", "wed", "fri"]
            node["data"]["settings"]["audience"]["conditions"] += [
                {"kind": "attribute", "attribute": "membership_tier", "op": "eq", "value": "Gold member (annual)"},
                # "does not have" / "did not": the negate selects were the ones whose text ran under the arrow.
                {"kind": "tag", "tag": "oily skin", "min_weight": None, "negate": True},
                {"kind": "event", "event": "purchase", "min_count": 1, "days": 30, "negate": True},
            ]
        if node["id"] == "opened":  # a filter row's "equals"
            node["data"]["settings"]["filters"] = [{"property": "product", "op": "eq", "value": "Serum"}]
    return graph


@pytest.mark.parametrize("sized_page", **sizes_and_languages())
def test_no_text_is_cut_off(sized_page, api):
    page, size, language = sized_page
    tag = f"{language}-{size}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    journey = api.create_journey("Weekly member day — every Monday, Wednesday and Friday", _graph())
    found: list[str] = []

    page.goto("/")
    expect(page.get_by_test_id("journeys-table")).to_be_visible()
    found += _cut(page, "journeys list")

    editor = EditorPage(page).open(journey["id"])
    page.get_by_test_id("auto-layout-button").click()
    editor.wait_for_steady_canvas()
    found += _cut(page, "canvas", ".react-flow__nodes")
    for node_id in [*FORMS, "mail", "done"]:
        editor.select(node_id)
        panel = page.get_by_test_id("settings-panel")
        expect(panel).to_have_attribute("data-node-id", node_id)
        found += _cut(page, f"form {node_id}", "[data-testid=settings-panel]")
        if node_id == "opened":
            panel.get_by_test_id("filter-0-op").scroll_into_view_if_needed()
            page.screenshot(path=SHOTS / f"filters-form-{tag}.png")
        if node_id == "member_day":
            panel.get_by_test_id("setting-audience").scroll_into_view_if_needed()
            page.screenshot(path=SHOTS / f"schedule-form-{tag}.png")
            # The audience's words are shown whole in their boxes, not only in a tooltip.
            for field in panel.locator("input[data-testid^=audience-][type=text]").all():
                fits = field.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
                assert fits, f"audience field cut off: {field.get_attribute('data-testid')} {field.input_value()!r}"

    page.get_by_test_id("journey-settings-button").click()
    page.get_by_test_id("journey-setting-quiet-on").check()
    page.get_by_test_id("journey-setting-cap-add").click()
    found += _cut(page, "journey settings", "[data-testid=journey-settings-panel]")
    page.get_by_test_id("journey-settings-done").click()

    OutboxPage(page).open()
    found += _cut(page, "outbox")
    assert not found, "\n".join(found)
