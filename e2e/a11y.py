"""axe-core in the page: the accessibility rules every page must pass (no serious or critical violations).

axe-core comes from the front end's npm devDependencies (frontend/node_modules), so no extra download."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent.parent / "frontend" / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page: Page) -> list[dict]:
    """Run axe on the whole page; return the serious and critical violations (rule, impact, nodes)."""
    # Fade-ins would be measured half-transparent (a false contrast failure): wait for finite animations to end.
    page.wait_for_function(
        "() => document.getAnimations().every(a => a.effect?.getTiming().iterations === Infinity"
        " || a.playState !== 'running')"
    )
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await window.axe.run(document, { resultTypes: ['violations'] });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
            }));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations)
