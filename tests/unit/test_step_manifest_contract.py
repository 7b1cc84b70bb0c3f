"""The front end's step registry is checked against `frontend/src/nodes/manifest.snapshot.json` (vitest,
registry.test.ts); this test keeps that file equal to what the backend serves at GET /api/steps/manifest, so a
step type, output, enum or default changed on either side fails one of the two."""

from __future__ import annotations

import json
from pathlib import Path

from wayfinder import steps

SNAPSHOT = Path(__file__).resolve().parents[2] / "frontend" / "src" / "nodes" / "manifest.snapshot.json"


def test_front_end_manifest_snapshot_matches_the_backend():
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert committed == steps.manifest(), (
        "The step manifest changed: run `wayfinder steps-manifest --out frontend/src/nodes/manifest.snapshot.json`, "
        "then `npm --prefix frontend test` to see what the front-end registry must add (module, translations)."
    )


def test_every_frontend_module_file_names_a_backend_step_type():
    modules = {
        p.stem
        for p in SNAPSHOT.parent.glob("*.tsx")
        if p.stem[0].islower() and p.stem not in {"fields"}
    }
    assert modules == set(steps.all_types()), "one frontend/src/nodes/<type>.tsx per backend step type"
