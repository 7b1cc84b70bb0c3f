"""/api/steps/manifest: every step type's settings (JSON Schema), outputs, defaults and group."""

from __future__ import annotations

from wayfinder import steps
from wayfinder.api import api_bp


@api_bp.get("/steps/manifest")
def step_manifest():
    return steps.manifest()
