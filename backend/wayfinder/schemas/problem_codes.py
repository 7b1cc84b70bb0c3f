"""Every `code` a located journey problem can have, with what it means: the publish and validate operations
document them (a schema-valid graph is still refused by publish, with 422, for any of the errors)."""

from __future__ import annotations

# Errors: publishing refuses the journey (422 `invalid_journey`, each in `errors`); validate lists them.
ERROR_CODES: dict[str, str] = {
    "no_trigger": "the journey has no trigger",
    "duplicate_id": "two steps, or two connections, share an id",
    "dangling_edge": "a connection points to a step that is not in the graph",
    "trigger_has_input": "a connection goes into a trigger",
    "unknown_handle": "a connection leaves from an output its step does not have (or does not say which)",
    "handle_multiple": "an output has more than one connection",
    "handle_unconnected": "an output that must lead somewhere is not connected",
    "cycle": "the step is on a loop",
    "unreachable": "no trigger leads to the step",
    "unknown_type": "the step's type does not exist",
    "invalid_settings": "a setting of the step is missing or invalid (`field` names it)",
    "invalid_template": "a subject or body template does not compile",
    "invalid_journey_settings": "a journey setting (quiet hours, caps, dates) is invalid",
    "duplicate_branch": "two branches of a split share a name",
    "reserved_branch": "a split branch is named 'default'",
    "duplicate_path": "two paths of an action-paths step share an id",
    "duplicate_path_name": "two paths of an action-paths step share a name",
    "reserved_path": "an action path has the id 'timed_out' (the output for no reply)",
    "percent_sum": "a random split's percentages do not add up to 100",
    "missing_timeout": "a wait for an event has no timeout",
    "schedule_in_the_past": "a scheduled or countdown trigger would start in the past",
    "engagement_step_not_before": "an engagement condition names a send step that does not come before it",
    "no_manual_trigger": "(enrol only) the journey has no manual / API trigger",
    "invalid_url": "a link of a send step (a webhook's URL, a button's link) is not a full http(s) URL",
    "reserved_header": "a webhook header is one Wayfinder sets itself (Content-Type, Host, webhook-*)",
    "duplicate_header": "two webhook headers have the same name",
    "button_incomplete": "an in-app message's button has a label without a link, or a link without a label",
}

# Warnings: shown by validate (and on the canvas), never refuse a publish.
WARNING_CODES: dict[str, str] = {
    "unknown_template_variable": "a template uses a customer attribute or event property no data has",
    "goal_event_unknown": "the goal's event was never received",
    "month_day_skipped": "a monthly schedule's day is missing in some months, which are skipped",
    "sms_long": "an SMS text alone is over 5 segments, each billed",
}


def describe(codes: dict[str, str]) -> str:
    """The codes as a Markdown list for an operation's description."""
    return "\n".join(f"* `{code}`: {meaning}" for code, meaning in codes.items())
