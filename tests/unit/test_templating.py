"""Marketer templates: rendering, unsafe access refused at validation and at render time."""

from __future__ import annotations

import pytest

from wayfinder.templating import TemplateError, render, template_problem

VARS = {
    "customer": {"external_id": "alice", "email": "alice@example.com", "first_name": "Alice", "tier": "gold"},
    "event": {"product": "Serum", "total": 1280},
}


def test_renders_customer_and_event_variables():
    source = "Hi {{ customer.first_name }} ({{ customer.email }}), your {{ event.product }}: NT$ {{ event.total }}"
    assert render(source, VARS) == "Hi Alice (alice@example.com), your Serum: NT$ 1280"


def test_renders_logic_and_filters():
    source = "{% if customer.tier == 'gold' %}VIP {% endif %}{{ event.product | upper }}{{ customer.missing }}."
    assert render(source, VARS) == "VIP SERUM."


def test_plain_text_is_not_escaped():
    assert render("<p>{{ event.product }}</p>", {"event": {"product": "<b>x</b>"}}) == "<p><b>x</b></p>"


def test_html_values_are_escaped_unless_marked_safe():
    variables = {"customer": {"first_name": "<img src=x onerror=alert(1)>"}, "event": {"banner": "<b>Sale</b>"}}
    source = "<p>Hi {{ customer.first_name }}{{ '!' ~ customer.first_name }}</p>{{ event.banner|safe }}"
    assert render(source, variables, html=True) == (
        "<p>Hi &lt;img src=x onerror=alert(1)&gt;!&lt;img src=x onerror=alert(1)&gt;</p><b>Sale</b>"
    )


def test_plain_template_has_no_problem():
    assert template_problem("Hi {{ customer.first_name }}, {{ event['product'] }}") is None


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ x['__class__'] }}",
        "{{ customer.__dict__ }}",
        "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_unsafe_access_rejected_by_template_problem_and_render(source):
    problem = template_problem(source)
    assert problem is not None and "not allowed" in problem
    with pytest.raises(TemplateError, match="not allowed"):
        render(source, {"x": {"__class__": "leak"}, **VARS})


def test_syntax_error_reports_its_line():
    problem = template_problem("<p>Hello</p>\n<p>{{ customer.first_name </p>\n")
    assert problem is not None
    assert problem.startswith("Template syntax error on line 2")
    with pytest.raises(TemplateError, match="line 2"):
        render("<p>Hello</p>\n<p>{{ customer.first_name </p>\n", VARS)


def test_unclosed_block_is_a_syntax_error():
    assert "syntax error" in (template_problem("{% if customer.vip %}yes") or "")


def test_sandbox_blocks_calling_unsafe_methods_at_render_time():
    # Nothing in the source starts with "_", so the syntax-tree check lets it through; the sandbox refuses
    # the call when the template runs.
    source = "{{ t.mro() }}"
    assert template_problem(source) is None
    with pytest.raises(TemplateError, match="Unsafe template"):
        render(source, {"t": int})


def test_format_string_cannot_reach_dunder_attributes():
    # str.format is routed through the sandbox's formatter: the unsafe lookup yields nothing, never the class.
    output = render('{{ "{0.__class__}".format(x) }}', {"x": 1})
    assert "class" not in output


def test_attr_filter_with_dunder_is_rejected_at_validation():
    # The same unsafe access spelled with the `attr` filter must be caught before publishing too.
    source = "{{ x|attr('__class__') }}"
    problem = template_problem(source)
    assert problem is not None and "__class__" in problem
    with pytest.raises(TemplateError):
        render(source, {"x": 1})


def test_runtime_failure_is_a_template_error():
    with pytest.raises(TemplateError, match="failed to render"):
        render("{{ event.total / 0 }}", VARS)
