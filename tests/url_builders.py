"""One compiled URL builder per route for the whole test session.

Werkzeug compiles two URL-builder functions for every route (it builds an AST and compiles it: ~0.1 ms each) each
time a Flask app is made. The tests make an app per test, so that was most of `create_app` (~16 of its ~20 ms of CPU
once the modules are imported: ~20 s of CPU over the suite). The function werkzeug builds depends only on the rule
(its text, the parts it parsed, its defaults and converters), never on the app it is bound to (it reads the
converters through the `self` it is called with), so the tests keep one per such key. Production makes its app once
per process and runs werkzeug as it is.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing.rules import Rule


def memoize_url_builders() -> None:
    original = Rule._compile_builder
    if getattr(original, "memoized", False):
        return
    cache: dict[tuple, Any] = {}

    def compile_builder(self: Rule, append_unknown: bool = True):
        key = (
            self.rule,
            self.host if self.map.host_matching else self.subdomain,
            tuple(self._trace),
            repr(sorted((self.defaults or {}).items())),
            tuple(sorted((name, type(converter)) for name, converter in self._converters.items())),
            append_unknown,
        )
        builder = cache.get(key)
        if builder is None:
            builder = cache[key] = original(self, append_unknown)
        return builder

    compile_builder.memoized = True  # type: ignore[attr-defined]
    Rule._compile_builder = compile_builder  # type: ignore[method-assign]
