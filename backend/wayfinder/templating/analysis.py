"""What can be seen in a template without data: syntax errors, unsafe access, constant expressions over a limit,
and the customer / event fields it reads."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from wayfinder.templating.limits import TemplateLimitError, check_str_call, checked_binop
from wayfinder.templating.sandbox import BoundedSandbox, text_env


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
        return text_env.binop_table[node.operator](left, right)
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
        return text_env.filters[node.name](_constant(node.node), *args)
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
        tree = text_env.parse(source)
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
        tree = text_env.parse(source)
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
