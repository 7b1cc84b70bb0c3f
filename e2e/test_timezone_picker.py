"""The journey's time zone is chosen from a curated, searchable picker (a combobox): common zones first, named by
city in the UI's language with their UTC offset, found by typing a city — never the raw IANA list (W-SU, Zulu)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pages.editor import EditorPage
from pages.viewports import sizes_and_languages
from playwright.sync_api import Page, expect

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots" / "timezones"
# Typed city, the option it finds, how the chosen zone then reads.
CASES = {
    "en": ("tokyo", "Taipei (UTC+8)", "Tokyo (UTC+9)", "Japan"),
    "zh-TW": ("東京", "台北 (UTC+8)", "東京 (UTC+9)", "日本"),
}


def _journey(api, name: str, settings: dict) -> dict:
    node = {"id": "bye", "type": "exit", "position": {"x": 0, "y": 0}, "data": {"label": "", "settings": {}}}
    return api.create_journey(name, {"nodes": [node], "edges": [], "settings": settings})


@pytest.mark.parametrize("sized_page", **sizes_and_languages(CASES))
def test_picking_a_zone_by_typing_a_city(sized_page, api):
    page, size, language = sized_page
    typed, default_label, picked_label, country = CASES[language]
    journey = _journey(api, f"E2E zone {language} {size}", {})
    editor = EditorPage(page).open(journey["id"])
    page.get_by_test_id("journey-settings-button").click()
    current = page.get_by_test_id("journey-setting-timezone-current")
    expect(current).to_contain_text(default_label)

    combo = page.get_by_role("combobox", name="Brand time zone" if language == "en" else "品牌時區")
    expect(combo).to_have_attribute("aria-expanded", "false")
    combo.focus()
    expect(combo).to_have_attribute("aria-expanded", "true")
    listbox = page.get_by_test_id("journey-setting-timezone")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options.first).to_have_attribute("data-zone", "Asia/Taipei")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(options.nth(1)).to_have_attribute("data-zone", "Asia/Hong_Kong")
    for alias in ("W-SU", "Zulu", "localtime", "Etc/GMT+5", "EST5EDT"):
        expect(listbox.locator(f"[data-zone='{alias}']")).to_have_count(0)
    combo.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"picker-open-{language}-{size}.png")

    # A country finds its zones too, in the UI's language.
    combo.fill(country)
    expect(options.first).to_have_attribute("data-zone", "Asia/Tokyo")

    # Type a city, pick it with the keyboard (the combobox pattern: the first match is active, Enter picks).
    combo.fill(typed)
    expect(options.first).to_have_attribute("data-zone", "Asia/Tokyo")
    expect(combo).to_have_attribute("aria-activedescendant", options.first.get_attribute("id") or "")
    page.screenshot(path=SHOTS / f"picker-search-{language}-{size}.png")
    combo.press("Enter")
    expect(current).to_contain_text(picked_label)
    expect(combo).to_have_attribute("aria-expanded", "false")

    # Escape closes the list, not the settings drawer around it.
    combo.press("ArrowDown")
    expect(combo).to_have_attribute("aria-expanded", "true")
    combo.press("Escape")
    expect(combo).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_test_id("journey-settings-panel")).to_be_visible()

    page.get_by_test_id("journey-settings-done").click()
    editor.save()
    expect(page.get_by_test_id("save-state")).to_have_attribute("data-dirty", "false")
    assert api.get(f"/api/journeys/{journey['id']}")["graph"]["settings"]["timezone"] == "Asia/Tokyo"


def test_a_zone_outside_the_list_still_shows(page: Page, api):
    """An older journey may hold an alias the picker no longer offers: it is named, with its offset, unchanged."""
    journey = _journey(api, "E2E legacy zone", {"timezone": "W-SU"})
    EditorPage(page).open(journey["id"])
    page.get_by_test_id("journey-settings-button").click()
    current = page.get_by_test_id("journey-setting-timezone-current")
    expect(current).to_have_attribute("data-zone", "W-SU")
    expect(current).to_contain_text("W-SU (UTC+3)")
