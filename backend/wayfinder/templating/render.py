"""Rendering a template in the bounded sandbox, within its size and time budgets."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2.sandbox import SecurityError

from wayfinder.templating.analysis import template_problem
from wayfinder.templating.limits import BODY_LIMIT, RENDER_SECONDS, TemplateError, TemplateLimitError
from wayfinder.templating.sandbox import html_env, json_env, text_env
from wayfinder.templating.watchdog import RenderTimeout, watchdog


@lru_cache(maxsize=512)
def _compile(source: str, html: bool, json_values: bool = False):
    return (json_env if json_values else html_env if html else text_env).from_string(source)


def render(
    source: str,
    variables: dict[str, Any],
    *,
    html: bool = False,
    limit: int = BODY_LIMIT,
    seconds: float | None = None,
    json_values: bool = False,
) -> str:
    """Render `source` in the bounded sandbox; raises TemplateError with a readable message.

    `html`: autoescape customer and event values (HTML email bodies). `limit`: the most characters the output
    may have. `seconds`: the time budget (RENDER_SECONDS by default). `json_values`: a JSON document (a webhook
    body): each `{{ value }}` is written JSON-escaped (see `sandbox.json_text`).
    """
    problem = template_problem(source)
    if problem:
        raise TemplateError(problem)
    budget = RENDER_SECONDS if seconds is None else seconds
    try:
        watchdog.arm(budget)
        try:
            return _stream(_compile(source, html, json_values), variables, limit)
        finally:
            if watchdog.disarm():
                raise RenderTimeout
    except RenderTimeout:
        raise TemplateError(f"Template took longer than {budget:g} s to render and was stopped") from None
    except TemplateError:
        raise
    except SecurityError as exc:
        raise TemplateError(f"Unsafe template: {exc}") from exc
    except Exception as exc:  # a marketer's template can fail in many ways; the message records why
        raise TemplateError(f"Template failed to render: {exc}") from exc


def _stream(template: Any, variables: dict[str, Any], limit: int) -> str:
    parts: list[str] = []
    size = 0
    for chunk in template.generate(**variables):
        size += len(chunk)
        if size > limit:
            raise TemplateLimitError(f"Rendered text is longer than {limit:,} characters")
        parts.append(chunk)
    return "".join(parts)
