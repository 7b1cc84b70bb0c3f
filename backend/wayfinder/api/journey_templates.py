"""/api/journey-templates: the gallery of ready-made journeys (S1–S8) a marketer starts a journey from.

Listed in the language asked for, else the workspace's; POST /api/journeys with `template` creates the draft.
"""

from __future__ import annotations

from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.extensions import db
from wayfinder.journeys import gallery
from wayfinder.schemas.journey_templates import JourneyTemplateSchema, TemplateQuerySchema
from wayfinder.workspaces.scoping import request_workspace
from wayfinder.workspaces.settings import settings_for

blp = Blueprint(
    "journey_templates",
    __name__,
    url_prefix="/api/journey-templates",
    description="Ready-made journeys (the S1–S8 playbooks) to start a draft from.",
)


@blp.get("")
@blp.arguments(TemplateQuerySchema, location="query")
@blp.response(200, JourneyTemplateSchema(many=True))
@requires("journeys.write")
def list_templates(query: dict):
    """Every template, in the gallery's order, in `lang` (default: the workspace's language)."""
    lang = query["lang"] or settings_for(db.session, request_workspace()).language
    return [_listed(template(lang)) for template in gallery.templates()]


def _listed(made: dict) -> dict:
    shown = {k: made[k] for k in ("key", "name", "description", "channels")}
    return {**shown, "steps": len(made["graph"]["nodes"])}
