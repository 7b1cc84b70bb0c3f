"""The size limits of marketer-written templates: every operation that builds a big value is checked *before*
it runs (intercepted operators, str methods, filters), so a template can never make the worker allocate a huge
string, list or integer."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from jinja2.sandbox import SecurityError
from jinja2.utils import pass_eval_context

# Any single string a template builds, and any rendered field, is at most this many characters.
MAX_VALUE_CHARS = 512 * 1024
MAX_ITEMS = 100_000  # elements of a list or tuple built by `*` or `+`
MAX_INT_BITS = 16_384  # integers built by `*` or `**` (a 4,900-digit number)
SUBJECT_LIMIT = 1_000
BODY_LIMIT = MAX_VALUE_CHARS
RENDER_SECONDS = 2.0

_PADDING_METHODS = {"ljust", "rjust", "center", "zfill"}
_DIGITS = re.compile(r"\d+")


class TemplateError(ValueError):
    """A template that does not compile, is unsafe, is too big or too slow, or fails to render."""


class TemplateLimitError(TemplateError):
    """A template operation that would exceed a size limit."""


_UNITS = {"a text": "characters", "a padded text": "characters", "a list": "items", "a number": "bits"}


def too_big(what: str, size: int, limit: int) -> TemplateLimitError:
    unit = _UNITS.get(what, "")
    return TemplateLimitError(f"Template would build {what} of {size:,} {unit} (limit {limit:,})".replace("  ", " "))


def check_text(size: int) -> None:
    if size > MAX_VALUE_CHARS:
        raise too_big("a text", size, MAX_VALUE_CHARS)


def _check_numbers_in_spec(spec: str, args: Iterable[Any]) -> None:
    """A printf/format spec may pad to any width: refuse widths (literal or passed as numbers) over the limit."""
    for digits in _DIGITS.findall(spec):
        if len(digits) > 7 or int(digits) > MAX_VALUE_CHARS:
            raise too_big("a padded text", int(digits[:12]), MAX_VALUE_CHARS)
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_VALUE_CHARS:
            raise too_big("a padded text", abs(arg), MAX_VALUE_CHARS)


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


def checked_binop(operator: str, left: Any, right: Any) -> Any:
    """`left <operator> right` for the intercepted operators, refused before it runs when the result is too big."""
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if _length(seq) is not None and isinstance(times, int):
                text = isinstance(seq, str | bytes)
                limit = MAX_VALUE_CHARS if text else MAX_ITEMS
                if len(seq) * max(times, 0) > limit:
                    raise too_big("a text" if text else "a list", len(seq) * times, limit)
        if isinstance(left, int) and isinstance(right, int):
            bits = abs(left).bit_length() + abs(right).bit_length()
            if bits > MAX_INT_BITS:
                raise too_big("a number", bits, MAX_INT_BITS)
        return left * right
    if operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0:
            bits = max(abs(left).bit_length() - 1, 1) * right if abs(left) > 1 else 1
            if bits > MAX_INT_BITS:
                raise too_big("a number", bits, MAX_INT_BITS)
        return left**right
    if operator == "+":
        if _length(left) is not None and _length(right) is not None:
            text = isinstance(left, str | bytes)
            limit = MAX_VALUE_CHARS if text else MAX_ITEMS
            if len(left) + len(right) > limit:
                raise too_big("a text" if text else "a list", len(left) + len(right), limit)
        return left + right
    if operator == "%":
        if isinstance(left, str):
            _check_numbers_in_spec(left, right if isinstance(right, tuple) else (right,))
            result = left % right
            check_text(len(result))
            return result
        return left % right
    raise SecurityError(f"operator {operator!r} is not checked")


def check_str_call(func: Any, args: tuple, kwargs: dict) -> tuple:
    """Refuse a call of a str method that would build a text over the limit; returns the (materialised) args."""
    func = getattr(func, "__wrapped__", func)  # the sandbox wraps str.format
    target = getattr(func, "__self__", None)
    if not isinstance(target, str):
        return args
    name = getattr(func, "__name__", "")
    if name in _PADDING_METHODS:
        width = args[0] if args else kwargs.get("width", 0)
        if isinstance(width, int) and width > MAX_VALUE_CHARS:
            raise too_big("a padded text", width, MAX_VALUE_CHARS)
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(size, int):
            check_text(len(target) + target.count("\t") * max(size, 0))
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        old, new = args[0], args[1]
        hits = target.count(old) if old else len(target) + 1
        if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
            hits = min(hits, args[2])
        check_text(len(target) + hits * (len(new) - len(old)))
    elif name == "join" and args:
        items = list(args[0]) if not isinstance(args[0], str) else args[0]
        if len(items) > MAX_ITEMS:
            raise too_big("a list", len(items), MAX_ITEMS)
        check_text(sum(len(i) if isinstance(i, str) else 0 for i in items) + len(target) * max(len(items) - 1, 0))
        return (items, *args[1:])
    elif name in ("format", "format_map"):
        values = list(args) + list(kwargs.values())
        if name == "format_map" and args and isinstance(args[0], dict):
            values = list(args[0].values())
        _check_numbers_in_spec(target, values)
    elif name == "translate" and args and isinstance(args[0], dict):
        longest = max((len(v) for v in args[0].values() if isinstance(v, str)), default=1)
        check_text(len(target) * longest)
    return args


def guard_filters(filters: dict[str, Callable]) -> None:
    """Wrap the filters that can build big texts so they check the size first."""
    center, indent, replace, join, fmt = (filters[n] for n in ("center", "indent", "replace", "join", "format"))

    def do_center(value: Any, width: int = 80) -> str:
        if isinstance(width, int) and width > MAX_VALUE_CHARS:
            raise too_big("a padded text", width, MAX_VALUE_CHARS)
        return center(value, width)

    def do_indent(s: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
        pad = width if isinstance(width, int) else len(str(width))
        check_text(len(str(s)) + (str(s).count("\n") + 1) * max(pad, 0))
        return indent(s, width, first, blank)

    @pass_eval_context
    def do_replace(eval_ctx: Any, s: Any, old: str, new: str, count: int | None = None) -> str:
        check_str_call(str(s).replace, (str(old), str(new), -1 if count is None else count), {})
        return replace(eval_ctx, s, old, new, count)

    @pass_eval_context
    def do_join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
        items = list(value)
        if len(items) > MAX_ITEMS:
            raise too_big("a list", len(items), MAX_ITEMS)
        if attribute is None:
            check_text(sum(len(str(i)) for i in items) + len(str(d)) * max(len(items) - 1, 0))
        result = join(eval_ctx, items, d, attribute)
        check_text(len(result))
        return result

    def do_format(value: Any, *args: Any, **kwargs: Any) -> str:
        _check_numbers_in_spec(str(value), list(args) + list(kwargs.values()))
        return fmt(value, *args, **kwargs)

    filters.update(center=do_center, indent=do_indent, replace=do_replace, join=do_join, format=do_format)
