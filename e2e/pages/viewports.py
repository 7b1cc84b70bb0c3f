"""The viewport sizes and languages pages are judged at, for tests parametrized with the `sized_page` fixture."""

from __future__ import annotations

# The two viewport sizes pages are judged at (a laptop and a small laptop), by name.
SIZES = {"1440x900": {"width": 1440, "height": 900}, "1280x720": {"width": 1280, "height": 720}}
LANGUAGES = ("en", "zh-TW")


def sizes_and_languages(languages=LANGUAGES) -> dict:
    """Parametrize a test with `sized_page` over every size × language:
    `@pytest.mark.parametrize("sized_page", **sizes_and_languages())`."""
    return {
        "argvalues": [(size, language) for language in languages for size in SIZES],
        "indirect": True,
        "ids": lambda p: f"{p[1]}-{p[0]}",
    }
