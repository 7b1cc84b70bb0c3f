"""The Jinja2 sandbox with every value-building operation checked against the size limits."""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Undefined, nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import pass_eval_context
from markupsafe import Markup

from wayfinder.templating.limits import check_str_call, check_text, checked_binop, guard_filters


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
        guard_filters(self.filters)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        return checked_binop(operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        args = check_str_call(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    @staticmethod
    def checked_concat(values: tuple, markup: bool) -> str:
        result = (markup_join if markup else str_join)(values)
        check_text(len(result))
        return result


text_env = BoundedSandbox(autoescape=False)
html_env = BoundedSandbox(autoescape=True)


def json_text(value: Any) -> Any:
    """How `{{ value }}` is written in a JSON template (a webhook body): as the inside of a JSON string, so a
    customer's value with a quote or a line break cannot break the document (`"name": "{{ customer.name }}"`).
    Numbers, true / false and null are written as JSON literals. A value marked safe is written as it is:
    `{{ customer.tags | tojson }}` inserts a whole JSON value (a list, an object, a quoted string)."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, Undefined):
        return ""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return json.dumps(text, ensure_ascii=False)[1:-1]


json_env = BoundedSandbox(autoescape=False, finalize=json_text)
_tojson = json_env.filters["tojson"]


@pass_eval_context
def _tojson_or_null(eval_ctx: Any, value: Any, indent: int | None = None) -> Markup:
    """`tojson` where a value the customer or event does not have is null (instead of failing the message)."""
    return _tojson(eval_ctx, None if isinstance(value, Undefined) else value, indent)


json_env.filters["tojson"] = _tojson_or_null
