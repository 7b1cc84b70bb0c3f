"""What a step type is: its settings schema, its handles, and how it executes a batch of enrollments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from marshmallow import Schema

if TYPE_CHECKING:
    from wayfinder.engine.context import StepContext


@dataclass(frozen=True)
class HandleSpec:
    """An output handle. A required handle must have exactly one edge; an optional one at most one."""

    id: str
    required: bool = True


# Outcomes a step returns for each enrollment it executes.
@dataclass(frozen=True)
class Move:
    handle: str


@dataclass(frozen=True)
class Wait:
    until: datetime


@dataclass(frozen=True)
class Complete:
    """The customer's path ends at this node."""


@dataclass(frozen=True)
class Fail:
    error: str


Outcome = Move | Wait | Complete | Fail


@dataclass
class Item:
    """One enrollment as a step sees it while a batch is advanced."""

    enrollment_id: int
    journey_id: int
    version_id: int
    customer_id: int
    node: str
    seq: int
    entered_at: datetime
    node_entered_at: datetime
    trigger_event_id: int | None
    context: dict[str, Any] = field(default_factory=dict)


class StepType:
    """Base class of every step type. Subclasses live in one module each and register themselves."""

    name: ClassVar[str]
    group: ClassVar[str] = "flow"  # trigger | flow | action | end
    is_trigger: ClassVar[bool] = False
    has_input: ClassVar[bool] = True
    outputs: ClassVar[tuple[HandleSpec, ...]] = (HandleSpec("next"),)
    settings_schema: ClassVar[type[Schema]]

    def check(self, settings: dict[str, Any]) -> list[tuple[str, str, str]]:
        """Rules beyond the schema, as (field, code, message). Called only when the schema passed."""
        return []

    def execute(self, ctx: StepContext, node: dict[str, Any], items: list[Item]) -> list[Outcome]:
        """Run the step for customers who just arrived at `node`; one outcome per item, in order."""
        raise NotImplementedError

    def resume(self, ctx: StepContext, node: dict[str, Any], items: list[Item]) -> list[Outcome]:
        """Continue customers whose wait at `node` is over."""
        return [Move(self.outputs[0].id) if self.outputs else Complete() for _ in items]

    def output_ids(self) -> list[str]:
        return [h.id for h in self.outputs]
