"""Marketer-written templates: Jinja2 in a sandbox, checked for unsafe attribute access before publishing."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

_env = SandboxedEnvironment(autoescape=False)


class TemplateError(ValueError):
    """A template that does not compile, is unsafe, or fails to render."""


@lru_cache(maxsize=512)
def template_problem(source: str) -> str | None:
    """Why `source` cannot be used as a template, or None when it is fine.

    The sandbox also refuses unsafe access at render time; checking the syntax tree here lets the editor
    show the problem on the node before the journey is published.
    """
    try:
        tree = _env.parse(source)
    except TemplateSyntaxError as exc:
        return f"Template syntax error on line {exc.lineno}: {exc.message}"
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Filter):  # `x|attr('__class__')` is attribute access too
            name = getattr(node.args[0], "value", None) if node.name == "attr" and node.args else None
        else:
            name = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(name, str) and name.startswith("_"):
            return f"Access to '{name}' is not allowed in templates"
    return None


@lru_cache(maxsize=512)
def _compile(source: str):
    return _env.from_string(source)


def render(source: str, variables: dict[str, Any]) -> str:
    """Render `source` with `variables` in the sandbox; raises TemplateError with a readable message."""
    problem = template_problem(source)
    if problem:
        raise TemplateError(problem)
    try:
        return _compile(source).render(**variables)
    except SecurityError as exc:
        raise TemplateError(f"Unsafe template: {exc}") from exc
    except Exception as exc:  # a marketer's template can fail in many ways; the message records why
        raise TemplateError(f"Template failed to render: {exc}") from exc
