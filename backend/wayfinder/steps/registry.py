"""Step types by name. A new step type is one module in this package plus its import in `__init__`."""

from __future__ import annotations

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
