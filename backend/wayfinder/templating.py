"""Marketer-written templates: Jinja2 in a bounded sandbox.

Three kinds of limits, because a marketer's template runs inside the worker that advances everyone else:

* **Unsafe access** (`_`-attributes, unsafe callables) is refused, by a syntax-tree check before publishing
  and by the sandbox at render time.
* **Memory.** Operations that build big values are checked *before* they run, so a template can never make
  the worker allocate a huge string, list or integer: `*`, `+`, `**`, `%` (intercepted binary operators),
  `~` (compiled to a checked join), the str methods that pad or multiply (`ljust`, `center`, `zfill`,
  `replace`, `join`, `format`, `expandtabs`, `translate`, …) and the filters that do the same (`center`,
  `indent`, `replace`, `join`, `format`). Lists and dicts are immutable in templates (no `append` loops),
  `range` is capped by Jinja, and `lipsum` is gone. Output is streamed and stops past the field's limit.
* **Time.** A render that runs longer than its budget is interrupted (a watchdog thread raises in the
  rendering thread between bytecodes), so nested loops cannot hold a worker.

What can be seen without data — a syntax error, unsafe access, a constant expression over a limit (the
original report: `{{ 'a' * 10**9 }}`) — is a `template_problem`, shown on the node before publishing. What
depends on customer data fails that one render with a readable `TemplateError`.

HTML bodies render with autoescape on: customer and event values are HTML-escaped unless the marketer
marks them `|safe`. Subjects and plain-text fields render unescaped.
"""

from __future__ import annotations

import ctypes
import re
import threading
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
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


class _RenderTimeout(BaseException):
    """Raised asynchronously in a render that ran out of time (BaseException: no `except Exception` eats it)."""


_UNITS = {"a text": "characters", "a padded text": "characters", "a list": "items", "a number": "bits"}


def _too_big(what: str, size: int, limit: int) -> TemplateLimitError:
    unit = _UNITS.get(what, "")
    return TemplateLimitError(f"Template would build {what} of {size:,} {unit} (limit {limit:,})".replace("  ", " "))


def _check_text(size: int) -> None:
    if size > MAX_VALUE_CHARS:
        raise _too_big("a text", size, MAX_VALUE_CHARS)


def _check_numbers_in_spec(spec: str, args: Iterable[Any]) -> None:
    """A printf/format spec may pad to any width: refuse widths (literal or passed as numbers) over the limit."""
    for digits in _DIGITS.findall(spec):
        if len(digits) > 7 or int(digits) > MAX_VALUE_CHARS:
            raise _too_big("a padded text", int(digits[:12]), MAX_VALUE_CHARS)
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_VALUE_CHARS:
            raise _too_big("a padded text", abs(arg), MAX_VALUE_CHARS)


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
                    raise _too_big("a text" if text else "a list", len(seq) * times, limit)
        if isinstance(left, int) and isinstance(right, int):
            bits = abs(left).bit_length() + abs(right).bit_length()
            if bits > MAX_INT_BITS:
                raise _too_big("a number", bits, MAX_INT_BITS)
        return left * right
    if operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0:
            bits = max(abs(left).bit_length() - 1, 1) * right if abs(left) > 1 else 1
            if bits > MAX_INT_BITS:
                raise _too_big("a number", bits, MAX_INT_BITS)
        return left**right
    if operator == "+":
        if _length(left) is not None and _length(right) is not None:
            text = isinstance(left, str | bytes)
            limit = MAX_VALUE_CHARS if text else MAX_ITEMS
            if len(left) + len(right) > limit:
                raise _too_big("a text" if text else "a list", len(left) + len(right), limit)
        return left + right
    if operator == "%":
        if isinstance(left, str):
            _check_numbers_in_spec(left, right if isinstance(right, tuple) else (right,))
            result = left % right
            _check_text(len(result))
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
            raise _too_big("a padded text", width, MAX_VALUE_CHARS)
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(size, int):
            _check_text(len(target) + target.count("\t") * max(size, 0))
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        old, new = args[0], args[1]
        hits = target.count(old) if old else len(target) + 1
        if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
            hits = min(hits, args[2])
        _check_text(len(target) + hits * (len(new) - len(old)))
    elif name == "join" and args:
        items = list(args[0]) if not isinstance(args[0], str) else args[0]
        if len(items) > MAX_ITEMS:
            raise _too_big("a list", len(items), MAX_ITEMS)
        _check_text(sum(len(i) if isinstance(i, str) else 0 for i in items) + len(target) * max(len(items) - 1, 0))
        return (items, *args[1:])
    elif name in ("format", "format_map"):
        values = list(args) + list(kwargs.values())
        if name == "format_map" and args and isinstance(args[0], dict):
            values = list(args[0].values())
        _check_numbers_in_spec(target, values)
    elif name == "translate" and args and isinstance(args[0], dict):
        longest = max((len(v) for v in args[0].values() if isinstance(v, str)), default=1)
        _check_text(len(target) * longest)
    return args


def _guard_filters(filters: dict[str, Callable]) -> None:
    """Wrap the filters that can build big texts so they check the size first."""
    center, indent, replace, join, fmt = (filters[n] for n in ("center", "indent", "replace", "join", "format"))

    def do_center(value: Any, width: int = 80) -> str:
        if isinstance(width, int) and width > MAX_VALUE_CHARS:
            raise _too_big("a padded text", width, MAX_VALUE_CHARS)
        return center(value, width)

    def do_indent(s: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
        pad = width if isinstance(width, int) else len(str(width))
        _check_text(len(str(s)) + (str(s).count("\n") + 1) * max(pad, 0))
        return indent(s, width, first, blank)

    @pass_eval_context
    def do_replace(eval_ctx: Any, s: Any, old: str, new: str, count: int | None = None) -> str:
        check_str_call(str(s).replace, (str(old), str(new), -1 if count is None else count), {})
        return replace(eval_ctx, s, old, new, count)

    @pass_eval_context
    def do_join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
        items = list(value)
        if len(items) > MAX_ITEMS:
            raise _too_big("a list", len(items), MAX_ITEMS)
        if attribute is None:
            _check_text(sum(len(str(i)) for i in items) + len(str(d)) * max(len(items) - 1, 0))
        result = join(eval_ctx, items, d, attribute)
        _check_text(len(result))
        return result

    def do_format(value: Any, *args: Any, **kwargs: Any) -> str:
        _check_numbers_in_spec(str(value), list(args) + list(kwargs.values()))
        return fmt(value, *args, **kwargs)

    filters.update(center=do_center, indent=do_indent, replace=do_replace, join=do_join, format=do_format)


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles `a ~ b` to a call that checks the size of the joined text."""

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            markup = "context.eval_ctx.volatile"
        else:
            markup = "True" if frame.eval_ctx.autoescape else "False"
        self.write("environment.checked_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(f"), {markup})")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with every value-building operation checked against the size limits."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _BoundedCodeGenerator

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.globals.pop("lipsum", None)  # lipsum(n=10**6) is a big text by design
        _guard_filters(self.filters)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        return checked_binop(operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        args = check_str_call(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    @staticmethod
    def checked_concat(values: tuple, markup: bool) -> str:
        result = (markup_join if markup else str_join)(values)
        _check_text(len(result))
        return result


_text_env = BoundedSandbox(autoescape=False)
_html_env = BoundedSandbox(autoescape=True)


class _NotConstant(Exception):
    pass


def _constant(node: nodes.Node) -> Any:
    """The value of a constant expression, computed with the same checks as rendering (so never huge)."""
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, nodes.List | nodes.Tuple):
        items = [_constant(item) for item in node.items]
        return items if isinstance(node, nodes.List) else tuple(items)
    if isinstance(node, nodes.BinExpr):
        left, right = _constant(node.left), _constant(node.right)
        if node.operator in BoundedSandbox.intercepted_binops:
            return checked_binop(node.operator, left, right)
        return _text_env.binop_table[node.operator](left, right)
    if isinstance(node, nodes.Concat):
        return BoundedSandbox.checked_concat(tuple(_constant(n) for n in node.nodes), False)
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) and not node.dyn_args:
        target = _constant(node.node.node)
        if not isinstance(target, str) or node.node.attr.startswith("_") or node.dyn_kwargs:
            raise _NotConstant
        method = getattr(target, node.node.attr)
        args = tuple(_constant(a) for a in node.args)
        kwargs = {k.key: _constant(k.value) for k in node.kwargs}
        return method(*check_str_call(method, args, kwargs), **kwargs)
    if isinstance(node, nodes.Filter) and node.node is not None and node.name in ("center", "indent", "format"):
        if node.kwargs or node.dyn_args or node.dyn_kwargs:
            raise _NotConstant
        args = [_constant(a) for a in node.args]
        return _text_env.filters[node.name](_constant(node.node), *args)
    raise _NotConstant


def _constant_problem(tree: nodes.Template) -> str | None:
    for node in tree.find_all((nodes.BinExpr, nodes.Concat, nodes.Call, nodes.Filter)):
        try:
            _constant(node)
        except TemplateLimitError as exc:
            return f"Line {node.lineno}: {exc}"
        except Exception:  # not a constant, or fails only at render time
            continue
    return None


@lru_cache(maxsize=512)
def template_problem(source: str) -> str | None:
    """Why `source` cannot be used as a template, or None when it is fine.

    The sandbox refuses unsafe access and oversized values at render time too; checking the syntax tree
    here lets the editor show the problem on the node before the journey is published.
    """
    try:
        tree = _text_env.parse(source)
    except TemplateSyntaxError as exc:
        return f"Template syntax error on line {exc.lineno}: {exc.message}"
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Filter):  # `x|attr('__class__')` is attribute access too
            name = getattr(node.args[0], "value", None) if node.name == "attr" and node.args else None
        else:
            name = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(name, str) and name.startswith("_"):
            return f"Access to '{name}' is not allowed in templates"
    return _constant_problem(tree)


@lru_cache(maxsize=512)
def template_variables(source: str) -> tuple[tuple[str, str], ...]:
    """The `customer.<name>` / `event.<name>` (or `customer['name']`) reads of `source`, from its syntax tree,
    as (root, name) pairs in order of first use; empty when it does not parse."""
    try:
        tree = _text_env.parse(source)
    except TemplateSyntaxError:
        return ()
    found: dict[tuple[str, str], None] = {}
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if not isinstance(node.node, nodes.Name) or node.node.name not in ("customer", "event"):
            continue
        name = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(name, str):
            found[(node.node.name, name)] = None
    return tuple(found)


@lru_cache(maxsize=512)
def _compile(source: str, html: bool):
    return (_html_env if html else _text_env).from_string(source)


class _Watchdog:
    """Interrupts renders that overrun their deadline, in whichever thread they run.

    One daemon thread per process sleeps until the earliest deadline and raises `_RenderTimeout` in the
    late thread (CPython's PyThreadState_SetAsyncExc: delivered between bytecodes, so it stops Jinja's
    loops; no single bytecode runs long because the big operations are refused before they run).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._deadlines: dict[int, float] = {}
        self._fired: set[int] = set()
        self._thread: threading.Thread | None = None
        self._wakes_at = 0.0  # when the watchdog thread wakes next (monotonic)

    def arm(self, seconds: float) -> None:
        ident = threading.get_ident()
        with self._cond:
            # An interrupt that landed inside the last `disarm` was handled there; forget it.
            self._fired.discard(ident)
            deadline = time.monotonic() + seconds
            self._deadlines[ident] = deadline
            if self._thread is None or not self._thread.is_alive():  # first use, or after a fork
                self._thread = threading.Thread(target=self._run, name="template-watchdog", daemon=True)
                self._thread.start()
            elif deadline < self._wakes_at:
                # It sleeps past this deadline: wake it to wait for this one. Otherwise it wakes in time on its
                # own (it never sleeps longer than WATCHDOG_POLL), so the common case (renders one after another,
                # two per email) does not wake a thread per render.
                self._cond.notify()

    def disarm(self) -> bool:
        """Stop watching this thread; True when its deadline had passed (any undelivered interrupt is dropped)."""
        ident = threading.get_ident()
        with self._cond:
            self._deadlines.pop(ident, None)
            if ident not in self._fired:
                return False
            self._fired.discard(ident)
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None)
            return True

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for ident, deadline in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[ident]
                        self._fired.add(ident)
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(
                            ctypes.c_ulong(ident), ctypes.py_object(_RenderTimeout)
                        )
                self._wakes_at = min(self._deadlines.values(), default=now + WATCHDOG_POLL)
                self._cond.wait(self._wakes_at - now)


#: How often the idle watchdog looks for new deadlines: a render may overrun its budget by at most this much.
WATCHDOG_POLL = 0.25
_watchdog = _Watchdog()


def render(
    source: str,
    variables: dict[str, Any],
    *,
    html: bool = False,
    limit: int = BODY_LIMIT,
    seconds: float | None = None,
) -> str:
    """Render `source` in the bounded sandbox; raises TemplateError with a readable message.

    `html`: autoescape customer and event values (HTML email bodies). `limit`: the most characters the output
    may have. `seconds`: the time budget (RENDER_SECONDS by default).
    """
    problem = template_problem(source)
    if problem:
        raise TemplateError(problem)
    budget = RENDER_SECONDS if seconds is None else seconds
    try:
        _watchdog.arm(budget)
        try:
            return _stream(_compile(source, html), variables, limit)
        finally:
            if _watchdog.disarm():
                raise _RenderTimeout
    except _RenderTimeout:
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
