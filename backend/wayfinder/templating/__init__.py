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

The package: `limits` (the size limits and the checked operations), `sandbox` (the bounded Jinja2 environment),
`analysis` (checks before publishing: `template_problem`, `template_variables`), `watchdog` (the time budget)
and `render`.
"""

from wayfinder.templating.analysis import template_problem, template_variables
from wayfinder.templating.limits import (
    BODY_LIMIT,
    MAX_INT_BITS,
    MAX_ITEMS,
    MAX_VALUE_CHARS,
    RENDER_SECONDS,
    SUBJECT_LIMIT,
    TemplateError,
    TemplateLimitError,
)
from wayfinder.templating.render import render

__all__ = [
    "BODY_LIMIT",
    "MAX_INT_BITS",
    "MAX_ITEMS",
    "MAX_VALUE_CHARS",
    "RENDER_SECONDS",
    "SUBJECT_LIMIT",
    "TemplateError",
    "TemplateLimitError",
    "render",
    "template_problem",
    "template_variables",
]
