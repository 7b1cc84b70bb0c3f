"""/api/steps/manifest: every step type's settings (JSON Schema), outputs, defaults and group."""

from __future__ import annotations

from wayfinder import steps
from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.schemas.api import StepManifestSchema

blp = Blueprint("steps", __name__, url_prefix="/api/steps", description="The step types the journey editor can draw.")


@blp.get("/manifest")
@blp.response(200, StepManifestSchema)
@requires("journeys.read")
def step_manifest():
    """Every step type the editor can draw, with its settings and outputs.

    Per step type: its group, whether it is a trigger / has an input, its settings as JSON Schema (enums,
    ranges, defaults), default settings, and outputs (fixed, or computed from a setting) each with a `tone`."""
    return steps.manifest()
