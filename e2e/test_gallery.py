"""The "New journey" gallery: every ready-made journey (S1–S8) has its card in English and in Traditional Chinese,
and each one, created from its card, publishes as it comes (a marketer starts from a working journey)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pages.editor import EditorPage
from pages.journeys import JourneysPage
from playwright.sync_api import Page, expect

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots" / "channels"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _open_gallery(page: Page, language: str) -> None:
    journeys = JourneysPage(page).open()
    journeys.set_language(language)
    page.get_by_test_id("new-journey-button").click()
    page.get_by_test_id("new-journey-dialog").wait_for()
    page.get_by_test_id("templates-loading").wait_for(state="detached")


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_every_template_has_its_card_in_each_language(page: Page, api, language):
    templates = api.get(f"/api/journey-templates?lang={language}")
    assert len(templates) == 8
    page.set_viewport_size({"width": 1280, "height": 720})
    _open_gallery(page, language)
    for template in templates:
        card = page.get_by_test_id(f"template-{template['key']}")
        expect(card).to_be_visible()
        expect(card).to_contain_text(template["name"])
        assert bool(CJK.search(template["name"])) == (language == "zh-TW"), template["name"]
    expect(page.locator("[data-testid^='template-']").and_(page.get_by_role("radio"))).to_have_count(9)  # + Blank
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    page.screenshot(path=SHOTS / f"gallery-{language}.png")


def test_each_template_publishes_as_created(page: Page, api):
    SHOTS.mkdir(parents=True, exist_ok=True)
    keys = [t["key"] for t in api.get("/api/journey-templates?lang=zh-TW")]
    for key in keys:
        _open_gallery(page, "zh-TW")
        page.get_by_test_id(f"template-{key}").click()
        expect(page.get_by_test_id(f"template-{key}")).to_have_attribute("aria-checked", "true")
        expect(page.get_by_test_id("new-journey-name")).not_to_have_value("")
        page.get_by_test_id("new-journey-create").click()
        page.get_by_test_id("editor-page").wait_for()
        api.created.append(int(page.url.rstrip("/").rsplit("/", 1)[1]))  # cleaned up by the api fixture
        editor = EditorPage(page)
        editor.wait_for_steady_canvas()
        expect(page.locator("[data-node-id]").first).to_be_visible()
        page.screenshot(path=SHOTS / f"template-{key}-zh-TW.png")  # as a marketer first sees it
        editor.publish()
        expect(editor.status).to_have_attribute("data-status", "published", timeout=15_000)
        assert api.get(f"/api/journeys/{api.created[-1]}")["status"] == "published", key
