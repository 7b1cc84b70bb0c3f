"""Templates are bounded in size, time and memory: refused before publishing when the problem is visible
in the source, else the one render fails with a readable reason — and nothing big is ever allocated."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from wayfinder.templating import BODY_LIMIT, TemplateError, render, template_problem

BIG = {"customer": {"n": 10**9, "s": "a\tb", "words": ["x"] * 10}}


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'a' * 10**9 }}",  # the original report
        "<p>\n{{ [0] * 10**9 }}</p>",
        "{{ 'a'.ljust(10**9) }}",
        "{{ 'x'.zfill(10**8) }}",
        "{{ 'a'|center(10**9) }}",
        "{{ '%1000000000d' % 1 }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{{ ('a' * 1000).replace('a', 'a' * 1000) }}",
        "{{ 'x' ~ ('a' * 600000) }}",
        "{{ 7 ** 100000 }}",
    ],
)
def test_constant_oversized_expression_is_a_problem_before_publishing(source):
    started = time.monotonic()
    problem = template_problem(source)
    assert problem is not None and "Template would build" in problem and "limit" in problem
    assert problem.startswith("Line ")
    assert time.monotonic() - started < 0.5  # found by checking sizes, not by building the value


def test_ordinary_template_has_no_size_problem():
    source = "{{ '-' * 40 }} {{ 'Hi'.center(20) }} {{ customer.first_name ~ '!' }} {{ 2 ** 10 }}"
    assert template_problem(source) is None
    assert render(source, {"customer": {"first_name": "Ann"}}).startswith("-" * 40)


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'a' * customer.n }}",
        "{{ [1] * customer.n }}",
        "{{ customer.s.ljust(customer.n) }}",
        "{{ customer.s.expandtabs(customer.n) }}",
        "{{ customer.n ** customer.n }}",
        "{{ ('%' ~ customer.n ~ 'd') % 1 }}",
        "{{ '{:>{w}}'.format('x', w=customer.n) }}",
        "{{ '%*d'|format(customer.n, 1) }}",
        "{{ 'a'|center(customer.n) }}",
        "{{ customer.s|indent(customer.n) }}",
        "{{ customer.s.translate({97: 'x' * 500000}) }}",
        "{{ (['a' * 400000] * customer.words|length)|join }}",
        "{{ ('a' * 400000).join(customer.words) }}",
        "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
        "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}",
        "{% set ns = namespace(n=3) %}{% for i in range(64) %}{% set ns.n = ns.n * ns.n %}{% endfor %}{{ ns.n }}",
    ],
)
def test_data_dependent_oversized_value_fails_that_render_readably(source):
    assert template_problem(source) is None
    with pytest.raises(TemplateError, match=r"Template would build .* of [\d,]+ \w+ \(limit [\d,]+\)"):
        render(source, BIG)


def test_output_is_cut_off_past_its_limit():
    source = "{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}"
    with pytest.raises(TemplateError, match="longer than 524,288 characters"):
        render(source, {}, limit=BODY_LIMIT)
    with pytest.raises(TemplateError, match="longer than 1,000 characters"):
        render("{{ 'y' * 1001 }}", {}, limit=1000)


def test_cpu_heavy_template_is_stopped_at_its_time_budget():
    source = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    started = time.monotonic()
    with pytest.raises(TemplateError, match="longer than 0.3 s"):
        render(source, {}, seconds=0.3)
    assert time.monotonic() - started < 1.5
    # A render that finished in time is never interrupted afterwards.
    for _ in range(200):
        assert render("{{ 1 + 1 }}", {}, seconds=0.3) == "2"
    time.sleep(0.4)
    assert sum(range(1000)) == 499500


def test_lists_are_immutable_and_lipsum_is_gone():
    with pytest.raises(TemplateError, match="unsafe"):
        render("{% set l = [] %}{{ l.append(1) }}", {})
    with pytest.raises(TemplateError, match="lipsum"):
        render("{{ lipsum(1000000) }}", {})


MEASURE = r"""
import json, resource, sys
from wayfinder.templating import TemplateError, render
render("{{ 1 }}", {})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
outcomes = []
for source in json.loads(sys.argv[1]):
    try:
        render(source, {"customer": {"n": 10**9, "s": "a"}}, html=True, seconds=1.0)
        outcomes.append("rendered")
    except TemplateError as exc:
        outcomes.append(str(exc))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"grew_kb": after - before, "outcomes": outcomes}))
"""


def test_worker_memory_stays_bounded_while_refusing_bombs():
    """Peak RSS of a fresh process rendering the bombs grows by less than 64 MB (the original: 2 GB)."""
    bombs = [
        "{{ 'a' * customer.n }}",
        "{{ [customer.s] * customer.n }}",
        "{{ customer.s.ljust(customer.n) }}",
        "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
        "{% for i in range(100000) %}{{ 'x' * 500 }}{% endfor %}",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    ]
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, json.dumps(bombs)], capture_output=True, text=True, timeout=60, check=True
    )
    report = json.loads(result.stdout)
    assert "rendered" not in report["outcomes"], report
    assert report["grew_kb"] < 64 * 1024, report


GEVENT_RENDER = r"""
from gevent import monkey
monkey.patch_all()  # what gunicorn's gevent worker (the web process) does before it imports the app
import time
from wayfinder.templating import TemplateError, render
source = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
for _ in range(2):
    started = time.monotonic()
    try:
        render(source, {}, seconds=0.3)
    except TemplateError as exc:
        print(exc, time.monotonic() - started < 5)
print(render("{{ 1 + 1 }}", {}, seconds=0.3))
"""


def test_the_time_budget_holds_in_the_gevent_web_process():
    """Under gevent's monkey-patching a patched watchdog thread is a greenlet that never runs while a CPU-bound
    render holds the hub: the render ran for hours (issue 12 §3 moved the web process to gevent)."""
    result = subprocess.run([sys.executable, "-c", GEVENT_RENDER], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Template took longer than 0.3 s to render and was stopped True"] * 2 + ["2"]
