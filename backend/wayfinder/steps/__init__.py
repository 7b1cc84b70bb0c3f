"""Step types. Importing this package registers every built-in type."""

from wayfinder.steps import (  # noqa: F401
    action_paths,
    add_tag,
    condition,
    event_trigger,
    exit,
    goal,
    manual_trigger,
    random_split,
    relative_date_trigger,
    remove_tag,
    schedule_trigger,
    send_email,
    send_in_app,
    send_line,
    send_push,
    send_sms,
    send_webhook,
    send_webpush,
    split,
    tag_trigger,
    update_attribute,
    wait,
    wait_for_engagement,
    wait_for_event,
    wait_until,
)
from wayfinder.steps.registry import all_types, get, manifest

__all__ = ["all_types", "get", "manifest"]
