"""Step types by name. A new step type is one module in this package plus its import in `__init__`."""

from __future__ import annotations

from wayfinder.audience.addresses import address_kind
from wayfinder.steps.base import StepType

_registry: dict[str, StepType] = {}


def register(cls: type[StepType]) -> type[StepType]:
    if cls.name in _registry:
        raise ValueError(f"step type {cls.name!r} registered twice")
    _registry[cls.name] = cls()
    return cls


def get(name: str) -> StepType | None:
    return _registry.get(name)


def all_types() -> dict[str, StepType]:
    return dict(_registry)


def manifest() -> dict:
    """Every step type as the front end needs it: settings as JSON Schema (from the marshmallow schema, with
    its enums and defaults), outputs, group, whether it is a trigger and whether it has an input.

    Served at GET /api/steps/manifest and dumped by `wayfinder steps-manifest`; the front end's registry adds
    only icons, colours, forms, summaries and translations, and a contract test checks the two agree.
    """
    from wayfinder.steps import journey_settings
    from wayfinder.steps.jsonschema import settings_json_schema

    types = []
    for name, step in sorted(_registry.items()):
        types.append(
            {
                "type": name,
                "group": step.group,
                "is_trigger": step.is_trigger,
                "has_input": step.has_input,
                # Send steps: the channel (quiet hours and caps apply) and where the customer's address comes from.
                "channel": step.channel,
                "address": address_kind(step.channel),
                "settings": settings_json_schema(step.settings_schema),
                "defaults": step.default_settings(),
                "outputs": step.outputs_manifest(),
            }
        )
    # The journey's own settings panel (re-entry, dates, quiet hours, caps, time zone) comes from here too.
    return {"version": 1, "types": types, "journey_settings": journey_settings.manifest()}
