"""Request and response schemas of the HTTP API (one serialization path: marshmallow in and out)."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from wayfinder.schemas.fields import ID_RANGE, INT32_MAX, Integer32, JSONObject, Text, example
from wayfinder.schemas.graph import JourneyGraphSchema
from wayfinder.schemas.personal import (
    PersonalAttributes,
    PersonalDetail,
    PersonalList,
    PersonalString,
    PersonalText,
)
from wayfinder.schemas.problem_codes import ERROR_CODES, WARNING_CODES, describe
from wayfinder.schemas.workspace import LANGUAGES

#: Event properties: what a shop sends with one event, serialised.
MAX_PROPERTIES_BYTES = 32 * 1024
#: Customer attributes, serialised.
MAX_ATTRIBUTES_BYTES = 32 * 1024


def name_field(**kwargs):
    return Text(min_length=1, max_length=200, **kwargs)


def key_field(**kwargs):
    """An identifier a client chooses (event id, customer id, event name)."""
    return Text(min_length=1, max_length=128, **kwargs)


class JourneyCreateSchema(Schema):
    """A blank draft (`name`, optional `graph`), or one started from a gallery `template` (`name` optional: the
    template's name in `lang`, default the workspace's language)."""

    name = name_field(**example("Abandoned cart"))
    description = Text(load_default="", max_length=2000, **example("Remind customers who left items in their cart."))
    graph = fields.Nested(JourneyGraphSchema, load_default=None)
    # The gallery's key (checked against `journeys.gallery` by the view: schemas do not import services).
    template = fields.String(load_default=None, validate=validate.Length(min=1, max=64), **example("s1_abandoned_cart"))
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGUAGES))

    @validates_schema
    def _name_or_template(self, data, **kwargs):
        if not data.get("template") and not data.get("name"):
            raise ValidationError({"name": ["Missing data for required field."]})
        if data.get("template") and data.get("graph") is not None:
            raise ValidationError({"graph": ["Give a graph or a template, not both."]})


class JourneyUpdateSchema(Schema):
    revision = Integer32(required=True, strict=True, min_value=0)
    name = name_field(**example("Abandoned cart"))
    description = Text(max_length=2000, **example("Remind customers who left items in their cart."))
    graph = fields.Nested(JourneyGraphSchema)


class ValidateRequestSchema(Schema):
    graph = fields.Nested(JourneyGraphSchema, load_default=None)


class CustomerInSchema(Schema):
    external_id = key_field(required=True, **example("amy"))
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    attributes = JSONObject(
        max_bytes=MAX_ATTRIBUTES_BYTES, load_default=dict, **example({"first_name": "Amy", "city": "Taipei"})
    )


class EventInSchema(Schema):
    event_id = key_field(required=True, **example("cart-8412-updated"))
    customer_id = key_field(required=True, **example("amy"))
    name = key_field(required=True, **example("cart_updated"))
    properties = JSONObject(
        max_bytes=MAX_PROPERTIES_BYTES, load_default=dict, **example({"product": "Serum", "total": 1280})
    )
    timestamp = fields.AwareDateTime(
        load_default=None,
        default_timezone=UTC,
        # Far-off years overflow when converted to UTC or stored; no shop sends them.
        validate=validate.Range(min=datetime(1970, 1, 1, tzinfo=UTC), max=datetime(9000, 1, 1, tzinfo=UTC)),
    )


class EnrolRequestSchema(Schema):
    request_id = key_field(
        required=True,
        metadata={"description": "a repeated request id enrols nobody twice", "example": "vip-launch-2026-03-08"},
    )
    customer_ids = fields.List(
        key_field(**example("amy")),
        required=True,
        validate=validate.Length(min=1, max=10_000),
        metadata={"description": "external ids"},
    )


class RefusalQuerySchema(Schema):
    customer = key_field(metadata={"description": "one customer's external id", "example": "amy"})


class RefusalOutSchema(Schema):
    customer = fields.String(metadata={"description": "the customer's external id"})
    node_id = fields.String(metadata={"description": "the trigger they came through"})
    reason = fields.String(
        metadata={"description": "before_start, after_end, already_inside, reentry_once or reentry_cooldown"}
    )
    first_at = fields.DateTime()
    last_at = fields.DateTime()
    times = fields.Integer()


class RefusalListSchema(Schema):
    refusals = fields.List(fields.Nested(RefusalOutSchema))


class EnrolAnswerSchema(Schema):
    request_id = fields.String()
    journey_id = fields.Integer()
    enrolled = fields.List(fields.String(), metadata={"description": "external ids enrolled by this request"})
    not_enrolled = fields.Dict(
        keys=fields.String(), values=fields.String(), metadata={"description": "external id → reason"}
    )
    unknown = fields.List(fields.String(), metadata={"description": "external ids of no known customer"})


class EventBatchSchema(Schema):
    events = fields.List(fields.Nested(EventInSchema), required=True, validate=validate.Length(min=1, max=1000))


class PageSchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=ID_RANGE)


#: Every channel a send step sends on (steps/send_*.py), and every message status (models/message.py).
MESSAGE_CHANNELS = ("email", "sms", "line", "push", "webpush", "in_app", "webhook")
MESSAGE_STATUSES = ("pending", "sending", "sent", "failed", "unknown", "skipped")
_AWARE_RANGE = validate.Range(min=datetime(1970, 1, 1, tzinfo=UTC), max=datetime(9000, 1, 1, tzinfo=UTC))


class MessageQuerySchema(Schema):
    """The message log's filters: all optional, combined with AND; newest first, `cursor` pages on."""

    journey_id = fields.Integer(load_default=None, validate=validate.Range(min=1, max=INT32_MAX))
    node_id = Text(load_default=None, min_length=1, max_length=64, metadata={"description": "a step of the journey"})
    channel = fields.String(load_default=None, validate=validate.OneOf(MESSAGE_CHANNELS))
    status = fields.String(load_default=None, validate=validate.OneOf(MESSAGE_STATUSES))
    customer = Text(
        load_default=None,
        min_length=1,
        max_length=320,
        metadata={"description": "the customer's external id or email address (exact)"},
    )
    q = Text(load_default=None, min_length=1, max_length=200, metadata={"description": "the summary contains it"})
    since = fields.AwareDateTime(load_default=None, default_timezone=UTC, validate=_AWARE_RANGE)
    until = fields.AwareDateTime(load_default=None, default_timezone=UTC, validate=_AWARE_RANGE)
    cursor = fields.Integer(
        load_default=None,
        validate=ID_RANGE,
        metadata={"description": "`next_cursor` of the previous page: messages older than it"},
    )
    per_page = fields.Integer(load_default=None, validate=validate.Range(min=1, max=100))
    limit = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=100),
        metadata={"description": "the older name of `per_page`"},
    )


class DemoTrafficSchema(Schema):
    customers = fields.Integer(load_default=20, validate=validate.Range(min=1, max=2000))
    lang = fields.String(
        load_default=None,
        validate=validate.OneOf(["zh-TW", "en"]),
        metadata={"description": "Language of the product names (default: the server's DEMO_LANGUAGE)"},
    )


# --- responses -------------------------------------------------------------------------------------


class VersionOutSchema(Schema):
    number = fields.Integer()
    status = fields.String()
    published_at = fields.DateTime(allow_none=True)


class JourneySummaryOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    description = fields.String()
    status = fields.String()
    revision = fields.Integer()
    updated_at = fields.DateTime()
    live_version = fields.Integer(allow_none=True)
    entered = fields.Integer()
    active = fields.Integer()


class JourneyOutSchema(JourneySummaryOutSchema):
    graph = fields.Dict()
    has_unpublished_changes = fields.Boolean()
    versions = fields.List(fields.Nested(VersionOutSchema))


class CustomerOutSchema(Schema):
    external_id = fields.String()
    email = PersonalString(allow_none=True)
    attributes = PersonalAttributes()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class MessageJourneyOutSchema(Schema):
    id = fields.Integer()
    name = fields.String(allow_none=True, metadata={"description": "null once the journey is deleted"})


class MessageStepOutSchema(Schema):
    id = fields.String()
    type = fields.String(allow_none=True, metadata={"description": "the step's type; null if no longer in the graph"})
    label = fields.String(allow_none=True)
    name = fields.String(metadata={"description": "as the editor shows it: the label, else the type's name"})


class MessageCustomerOutSchema(Schema):
    external_id = fields.String()
    name = PersonalString(allow_none=True)


class MessageOutSchema(Schema):
    id = fields.Integer()
    journey_id = fields.Integer(allow_none=True)
    journey_name = fields.String(allow_none=True, metadata={"description": "null once the journey is deleted"})
    node_id = fields.String()
    step_name = fields.String(
        allow_none=True,
        metadata={"description": "the step's label in the journey's current graph; null if it has none"},
    )
    customer_id = fields.String(attribute="customer_external_id")  # the external id, set by the view
    channel = fields.String()
    # The recipient as the log shows it (`recipient`): push devices are counted, their tokens never leave.
    to = PersonalString(attribute="to_shown")
    # Rendered for the customer: it may carry their name ("A gift for you, Amy"), so it is personal as a whole.
    subject = PersonalString()
    status = fields.String(
        validate=validate.OneOf(["pending", "sending", "sent", "failed", "unknown", "skipped"]),
        metadata={
            "description": "`pending` (waiting, or for its next retry), `sending` (a delivery job holds it), `sent`, "
            "`failed` (a permanent error or the last retry failed; `error` says why), `unknown` (the worker "
            "stopped during the provider call and the channel cannot retry safely: it may have arrived; "
            "`provider_id` holds its Message-ID), `skipped` (a frequency cap; `error` says which)"
        },
    )
    provider_id = fields.String(
        allow_none=True,
        metadata={"description": "the provider's id of the message (an email's Message-ID, recorded before sending)"},
    )
    attempts = fields.Integer()
    error = PersonalText(allow_none=True)  # a provider's refusal may quote the address
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
    # The message log's shape (the flat fields above stay for older clients).
    journey = fields.Nested(MessageJourneyOutSchema, allow_none=True)
    step = fields.Nested(MessageStepOutSchema)
    customer = fields.Nested(MessageCustomerOutSchema)
    recipient = PersonalString(
        metadata={"description": 'where it went: the address, phone, LINE user id, URL; for push "N devices"'}
    )
    last_event = fields.String(
        allow_none=True, metadata={"description": "the kind of the message's newest event (sent, delivered, …)"}
    )


class JourneyListOutSchema(Schema):
    journeys = fields.List(fields.Nested(JourneySummaryOutSchema))


class LocatedErrorSchema(Schema):
    """One problem in a journey, located on a step (`node_id`) or a connection (`edge_id`)."""

    code = fields.String(
        metadata={
            "description": "what is wrong. Errors:\n\n"
            + describe(ERROR_CODES)
            + "\n\nWarnings:\n\n"
            + describe(WARNING_CODES),
            "enum": [*ERROR_CODES, *WARNING_CODES],
        }
    )
    message = fields.String()
    node_id = fields.String(allow_none=True)
    edge_id = fields.String(allow_none=True)
    field = fields.String(allow_none=True)
    severity = fields.String(
        validate=validate.OneOf(["error", "warning"]),
        metadata={"description": "errors block publishing; warnings are shown on the node but do not"},
    )


class ValidationResultSchema(Schema):
    valid = fields.Boolean(metadata={"description": "no problem of severity `error`: the journey can be published"})
    problems = fields.List(
        fields.Nested(LocatedErrorSchema),
        metadata={"description": "every problem, errors first; `severity` tells which block publishing"},
    )


class NodeCountsSchema(Schema):
    entered = fields.Integer()
    waiting = fields.Integer()
    moved_on = fields.Integer()
    exited = fields.Integer()
    errored = fields.Integer(metadata={"description": "parked by a step that failed for this customer"})
    converted = fields.Integer(metadata={"description": "exits that were conversions (reached the goal)"})


class JourneyCountsSchema(Schema):
    journey_id = fields.Integer()
    nodes = fields.Dict(keys=fields.String(), values=fields.Nested(NodeCountsSchema))


class CustomerListOutSchema(Schema):
    customers = fields.List(fields.Nested(CustomerOutSchema))
    total = fields.Integer()


class MessageListOutSchema(Schema):
    messages = fields.List(fields.Nested(MessageOutSchema))
    next_cursor = fields.Integer(
        allow_none=True, metadata={"description": "pass as `cursor` for the next (older) page; null on the last"}
    )


class MessageEventOutSchema(Schema):
    kind = fields.String(
        metadata={"description": "sent, delivered, opened, clicked, read, bounced, failed, retry, unsubscribed, …"}
    )
    at = fields.DateTime()
    detail = PersonalDetail(allow_none=True)


class SentViaOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    provider = fields.String(metadata={"description": "e.g. mitake, every8d, twilio, line, fcm"})


class MessageDetailOutSchema(MessageOutSchema):
    sent_via = fields.Nested(
        SentViaOutSchema,
        allow_none=True,
        metadata={
            "description": "the workspace's provider account that sent it (its name and provider when it was sent); "
            "null when it went through the server's own settings (e.g. SMTP, the sandbox) or was not sent"
        },
    )
    payload = PersonalDetail(
        attribute="payload_shown",
        allow_none=True,
        metadata={"description": "the rendered content as the customer got it (per channel); null until rendered"},
    )
    events = fields.List(fields.Nested(MessageEventOutSchema))


class CaughtMailSchema(Schema):
    id = fields.String()
    sender = fields.String(attribute="from", data_key="from")
    to = PersonalString()
    recipients = PersonalList()
    subject = fields.String()
    date = fields.String(allow_none=True)
    html = fields.String(allow_none=True)
    text = fields.String(allow_none=True)


class OutboxOutSchema(Schema):
    enabled = fields.Boolean()
    mails = fields.List(fields.Nested(CaughtMailSchema))


class TrackResultSchema(Schema):
    accepted = fields.Integer()
    duplicates = fields.Integer()


class DemoTrafficResultSchema(Schema):
    events = fields.Integer()
    duplicates = fields.Integer()
    customers = fields.Integer()


class ErrorSchema(Schema):
    """The API's one error shape. 400: `fields` maps each bad field to its messages; 422 (invalid journey):
    `errors` lists located problems; 409: `current_revision` tells the client what to reload."""

    error = fields.String(required=True, metadata={"description": "validation_error, not_found, conflict, …"})
    message = fields.String()
    fields_ = fields.Dict(data_key="fields")
    errors = fields.List(fields.Nested(LocatedErrorSchema))
    current_revision = fields.Integer()
    reason = fields.String(
        metadata={"description": "401/403: why (expired, revoked, csrf_missing, csrf_mismatch, no_workspace)"}
    )
    retry_after = fields.Integer(metadata={"description": "429: seconds to wait (also the Retry-After header)"})


class StepTypeManifestSchema(Schema):
    """One step type as the editor needs it (see `steps.registry.manifest`)."""

    type = fields.String()
    group = fields.String(validate=validate.OneOf(["trigger", "flow", "action", "end"]))
    is_trigger = fields.Boolean()
    has_input = fields.Boolean()
    channel = fields.String(
        allow_none=True,
        metadata={"description": "a send step's channel (email, sms, line, push, webpush, in_app, webhook); else null"},
    )
    address = fields.String(
        allow_none=True,
        metadata={
            "description": "where a send step finds the customer's address: email, phone, line_user_id, "
            "devices:push, devices:webpush, external_id (in-app), url (a webhook's own); else null"
        },
    )
    settings = fields.Dict(metadata={"description": "the settings as JSON Schema"})
    defaults = fields.Dict(metadata={"description": "settings of a node just dropped on the canvas"})
    outputs = fields.Dict(
        metadata={
            "description": '{"static": [{id, required, tone, label}]} or, computed from settings, '
            '{"from_setting", "id", "label", "tone", "then": [...]}'
        }
    )


class JourneySettingsManifestSchema(Schema):
    """What the journey settings panel is built from (see `steps.journey_settings.manifest`)."""

    settings = fields.Dict(metadata={"description": "the graph's `settings` as JSON Schema"})
    defaults = fields.Dict(metadata={"description": "every setting's default"})
    enums = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "choices: reentry, duration_units, cap_channels, cap_periods"},
    )
    timezones = fields.List(
        fields.String(),
        metadata={"description": "the canonical IANA zones a marketer picks from (zone.tab and UTC; no aliases)"},
    )
    timezone_countries = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "ISO 3166 country code of each zone in `timezones` (UTC has none)"},
    )


class StepManifestSchema(Schema):
    version = fields.Integer()
    types = fields.List(fields.Nested(StepTypeManifestSchema))
    journey_settings = fields.Nested(JourneySettingsManifestSchema)
