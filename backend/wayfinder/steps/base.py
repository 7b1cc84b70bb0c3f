"""The step interface, in one module: what a step type declares, what it sees, what it returns.

* A step type (`StepType`) declares its settings schema, its outputs computed from its settings
  (`outputs(settings)`), extra checks, and how it executes a batch (`execute` on arrival, `resume` after a
  wait). A trigger also says which index keys it listens on (`trigger_keys`), whether an event enrols
  through it (`accepts`) and when it is next due (`next_due`, for schedules).
* It sees `Item`s (one enrollment each, with the reason it woke) and a `StepContext` (the protocol below;
  the engine provides it).
* It returns one outcome per item (`Move`, `Wait`, `Complete`, `Fail`) and puts side effects (messages,
  tag and attribute changes, enrolments) into `ctx.effects`, which the engine writes in bulk with the
  batch's transitions.
* State a step must keep across visits (e.g. the branch an A/B split chose) goes in `item.state(node_id)`,
  persisted in the enrollment's `context`.

Nothing here imports the engine: `engine/` depends on `steps/`, never the other way round.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, ClassVar, Literal, Protocol

from marshmallow import Schema
from sqlalchemy.orm import Session

from wayfinder.audience.matching import matches

Tone = Literal["neutral", "yes", "no", "timeout", "goal", "branch"]


@dataclass(frozen=True)
class Output:
    """An output handle. A required handle must have exactly one edge; an optional one at most one.

    `tone` is how the canvas colours the handle and its edges; `label` is shown next to handles a marketer
    named (split branches), otherwise the front end translates the id.
    """

    id: str
    required: bool = True
    tone: Tone = "neutral"
    label: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "required": self.required, "tone": self.tone, "label": self.label}


HandleSpec = Output  # the former name


# --- outcomes: one per item, in order -------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """Leave through `handle`. `reason` is recorded on the step history when the move is a decision worth
    explaining later (timed out, default branch…)."""

    handle: str
    reason: str | None = None
    # The handle to leave through instead when `handle` is not connected (a send step's `unreachable` → `next`).
    otherwise: str | None = None


@dataclass(frozen=True)
class EventWait:
    """Wake when the customer does `name` with properties matching every filter (property, op, value); the
    values are resolved when the wait starts (e.g. the `cart_id` of the event that enrolled the customer)."""

    name: str
    filters: tuple[tuple[str, str, Any], ...] = ()

    def met_by(self, event_name: str, properties: dict[str, Any]) -> bool:
        return event_name == self.name and all(matches(properties, p, op, v) for p, op, v in self.filters)


def first_match(waits: Sequence[EventWait], event_name: str, properties: dict[str, Any]) -> int | None:
    """The index of the first of `waits` this event meets, None if none: the event router's test, and how a step
    waiting for several events tells which one came (action paths: the first path in the marketer's order)."""
    return next((i for i, wait in enumerate(waits) if wait.met_by(event_name, properties)), None)


@dataclass(frozen=True)
class Wait:
    """Sleep until `until` (None: no time limit) or until one of `events` happens, whichever comes first.
    `resume` is then called with `item.wake` saying which."""

    until: datetime | None
    events: tuple[EventWait, ...] = ()


@dataclass(frozen=True)
class Complete:
    """The customer's path ends at this node."""

    reason: str | None = None


@dataclass(frozen=True)
class Fail:
    error: str


Outcome = Move | Wait | Complete | Fail

# Trigger index keys (`StepType.trigger_keys`) the engine acts on besides "event:<name>": triggers fired by the
# ticker on their `next_due` times, and triggers that manual / API enrolment goes through.
SCHEDULE_KEY = "schedule"
MANUAL_KEY = "manual"

# Why a waiting item was resumed: the time ran out, an awaited event came ("event:<name>"), or the customer reached
# a goal ("goal:<goal node id>").
WAKE_TIME = "time"
WAKE_EVENT_PREFIX = "event:"
WAKE_GOAL_PREFIX = "goal:"

# The events a tag change records for its customer (written with the change, routed like any event): `tag_added`
# (properties `tag`, `weight`, `previous_weight` — null when new) when a tag is new or its weight went up,
# `tag_removed` (`tag`, `previous_weight`) when a customer loses it.
TAG_ADDED = "tag_added"
TAG_REMOVED = "tag_removed"


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
    # Set when resumed: WAKE_TIME or "event:<name>"; with the waking event's properties for the latter.
    wake: str | None = None
    wake_event: dict[str, Any] | None = None

    def state(self, node_id: str) -> dict[str, Any]:
        """This step's persisted state for this customer (kept in the enrollment's context)."""
        return self.context.setdefault("state", {}).setdefault(node_id, {})

    @property
    def woke_by_event(self) -> bool:
        return bool(self.wake and self.wake.startswith(WAKE_EVENT_PREFIX))


# --- effects: what steps ask the engine to write ----------------------------------------------------


@dataclass(frozen=True)
class SendMessage:
    """A message on any channel. Its idempotency key is (enrollment, node, seq): a step run twice for the
    same visit sends once. Its content is rendered at delivery from the step's settings in `version_id` (see
    steps/send.py). `error` set: recorded as failed with that reason, never sent."""

    enrollment_id: int
    journey_id: int
    customer_id: int
    node_id: str
    seq: int
    channel: str
    to_address: str
    version_id: int | None = None
    event_id: int | None = None  # the enrolling event, whose properties the template may read
    error: str | None = None
    # Not sent on purpose (a frequency cap): recorded as skipped with `error` as the reason.
    skipped: bool = False

    @classmethod
    def visit(cls, item: Item, node_id: str, **fields: Any) -> SendMessage:
        """A message for this visit of `node_id` (the item's current sequence number goes in its key)."""
        return cls(
            enrollment_id=item.enrollment_id,
            journey_id=item.journey_id,
            customer_id=item.customer_id,
            node_id=node_id,
            seq=item.seq,
            **fields,
        )


@dataclass(frozen=True)
class SetAttributes:
    """Merge `values` into the customer's attributes (a value of None removes the attribute), then add
    `increments` to numeric attributes (a missing or non-numeric attribute counts as 0). The increment is applied
    to the value read when the effects are written, so two journeys incrementing in one batch both count."""

    customer_id: int
    values: dict[str, Any]
    increments: dict[str, float] | None = None


@dataclass(frozen=True)
class TagChange:
    """Add `weight` to a tag's weight (the tag is created with it when the customer does not have it), set the
    weight to `weight` (`replace`), or remove the tag (`weight` None). `journey_id`: the journey applying it."""

    customer_id: int
    tag: str
    weight: int | None = 1
    journey_id: int | None = None
    replace: bool = False


@dataclass(frozen=True)
class Enrol:
    """Enrol the customer into another journey (at its live version's first trigger)."""

    customer_id: int
    journey_id: int


Effect = SendMessage | SetAttributes | TagChange | Enrol


@dataclass
class Effects:
    """The typed buffer a batch's steps fill; the engine writes each kind with a few bulk statements."""

    messages: list[SendMessage] = field(default_factory=list)
    attributes: list[SetAttributes] = field(default_factory=list)
    tags: list[TagChange] = field(default_factory=list)
    enrolments: list[Enrol] = field(default_factory=list)

    def mark(self) -> tuple[int, int, int, int]:
        """Where the buffer stands, to drop what a failed step call added (`rollback`)."""
        return len(self.messages), len(self.attributes), len(self.tags), len(self.enrolments)

    def rollback(self, mark: tuple[int, int, int, int]) -> None:
        for buffer, length in zip((self.messages, self.attributes, self.tags, self.enrolments), mark, strict=True):
            del buffer[length:]

    def add(self, effect: Effect) -> None:
        if isinstance(effect, SendMessage):
            self.messages.append(effect)
        elif isinstance(effect, SetAttributes):
            self.attributes.append(effect)
        elif isinstance(effect, TagChange):
            self.tags.append(effect)
        elif isinstance(effect, Enrol):
            self.enrolments.append(effect)
        else:
            raise TypeError(f"unknown effect {effect!r}")


class StepContext(Protocol):
    """What the engine gives a step while it executes a batch (see `engine/context.py`)."""

    session: Session
    now: datetime
    effects: Effects

    def customer_data(self, customer_id: int) -> dict[str, Any]:
        """Attributes plus `external_id` and `email`."""

    def customer_email(self, customer_id: int) -> str | None: ...

    def address(self, customer_id: int, channel: str) -> tuple[str | None, str | None]:
        """(where the customer is reached on `channel`, None) or (None, why they cannot be)."""

    def event_properties(self, item: Item) -> dict[str, Any]:
        """Properties of the event that enrolled the customer."""

    def entered_since(self, item: Item) -> datetime:
        """When the customer entered the journey (the time of their enrolling event when earlier)."""

    def timezone(self, customer_id: int) -> tzinfo:
        """The customer's time zone when known, else the journey's (`settings.timezone`), else the brand's."""


class StepType:
    """Base class of every step type. Subclasses live in one module each and register themselves."""

    name: ClassVar[str]
    group: ClassVar[str] = "flow"  # trigger | flow | action | end
    is_trigger: ClassVar[bool] = False
    # False for triggers and goals: nothing connects into them; they start paths.
    has_input: ClassVar[bool] = True
    # The outputs when they do not depend on settings.
    handles: ClassVar[tuple[Output, ...]] = (Output("next"),)
    settings_schema: ClassVar[type[Schema]]
    # The channel of the messages this step sends ("email", "sms", ...): quiet hours and frequency caps apply.
    channel: ClassVar[str | None] = None
    # Settings of a node just dropped on the canvas.
    defaults: ClassVar[dict[str, Any]] = {}

    # --- declaration ---
    def default_settings(self) -> dict[str, Any]:
        return copy.deepcopy(self.defaults)

    def outputs(self, settings: dict[str, Any]) -> list[Output]:
        """The output handles of a node with these settings (validated or not: never raises)."""
        return list(self.handles)

    def outputs_manifest(self) -> dict[str, Any]:
        """How the front end computes the outputs from settings: static here; splits override."""
        return {"static": [h.as_dict() for h in self.handles]}

    def check(self, settings: dict[str, Any]) -> list[tuple[str, str, str]]:
        """Errors beyond the schema, as (field, code, message). Called only when the schema passed."""
        return []

    def on_save(
        self, settings: dict[str, Any], draft: dict[str, Any] | None, frozen: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """The settings to store when a graph is created, saved or published; fills what the backend owns (e.g. a
        random split's seed). `draft` is this node's settings in the draft being replaced, `frozen` in the
        journey's published / paused / archived versions, newest first (same node id and type only)."""
        return settings

    def check_when(self, settings: dict[str, Any], tz: tzinfo, now: datetime) -> list[tuple[str, str, str]]:
        """Errors that depend on where and when the journey runs, as (field, code, message): `tz` is the journey's
        time zone (`settings.timezone`, the zone its triggers fire in), `now` the app clock's time. Called only
        when the schema passed."""
        return []

    # --- send steps (a `channel`; see steps/send.py) ---
    def render(self, settings: dict[str, Any], variables: dict[str, Any]) -> dict[str, Any]:
        """A send step's message payload for its channel (see channels/base.py), from its settings and
        {"customer": …, "event": …}; raises TemplateError. Delivery, the preview and test sends call it."""
        raise NotImplementedError(f"{self.name} sends no message")

    def summary(self, payload: dict[str, Any]) -> str:
        """One line naming a rendered message in the message log (an email's subject, an SMS's opening words)."""
        for key in ("subject", "title", "text"):
            if payload.get(key):
                return str(payload[key])[:200]
        return ""

    # Settings fields holding a template (`customer.<name>` / `event.<name>` reads are checked against the data).
    template_fields: tuple[str, ...] = ()

    def warnings(self, settings: dict[str, Any]) -> list[tuple[str, str, str]]:
        """Problems that do not block publishing, as (field, code, message)."""
        return []

    def output_ids(self, settings: dict[str, Any] | None = None) -> list[str]:
        return [h.id for h in self.outputs(settings or {})]

    # --- triggers ---
    def trigger_keys(self, settings: dict[str, Any]) -> list[str]:
        """Index keys this trigger listens on, e.g. "event:cart_updated"; a published version stores them."""
        return []

    def accepts(self, settings: dict[str, Any], event_name: str, properties: dict[str, Any]) -> bool:
        """Whether this event enrols its customer through this trigger."""
        return False

    def next_due(self, settings: dict[str, Any], after: datetime, brand_tz: tzinfo) -> datetime | None:
        """When a time-driven trigger fires next after `after`; None for triggers driven by events."""
        return None

    def audience(self, settings: dict[str, Any]) -> dict[str, Any] | None:
        """The trigger's audience filter (`wayfinder.audience.filters`); None: everyone."""
        return settings.get("audience")

    def firing_conditions(self, settings: dict[str, Any], due: datetime, brand_tz: tzinfo) -> list[dict[str, Any]]:
        """Audience conditions a time-driven trigger adds for the firing due at `due` (e.g. "whose birthday is
        in three days")."""
        return []

    # --- goals ---
    def goal_events(self, settings: dict[str, Any]) -> list[str]:
        """Event names that make a customer inside the journey convert at once (goal steps)."""
        return []

    # --- execution ---
    def execute(self, ctx: StepContext, node: dict[str, Any], items: list[Item]) -> list[Outcome]:
        """Run the step for customers who just arrived at `node`; one outcome per item, in order."""
        raise NotImplementedError

    def resume(self, ctx: StepContext, node: dict[str, Any], items: list[Item]) -> list[Outcome]:
        """Continue customers whose wait at `node` is over (`item.wake` says why)."""
        outputs = self.outputs(node["data"].get("settings") or {})
        return [Move(outputs[0].id) if outputs else Complete() for _ in items]
