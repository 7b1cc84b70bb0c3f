"""What every send step shares: reach the customer on the step's channel, or take the `unreachable` output.

A send step declares its `channel`, its settings schema and one `render(settings, variables) -> payload` that the
engine's delivery, the preview and test sends all call. The engine does not render while stepping: the step records
a message {channel, recipient, the version and node whose settings it renders, the enrolling event} and delivery
renders it against that frozen version, outside any transaction that holds customers' rows (a slow template holds
back no one). `variables` is {"customer": the customer's data, "event": the enrolling event's properties}.

A customer without the channel's address or consent (`audience.addresses`) leaves through `unreachable` with the
reason; when nothing is connected there they go on through `next` (the message is skipped, as in Customer.io and
Braze), so adding the output changes nothing for journeys that do not use it. The channels that reach everyone
(`audience.addresses.ALWAYS_REACHABLE`: a webhook posts to its own URL, an in-app message waits for the customer's
app) never take it, so their steps offer only `next` (`REACHES_EVERYONE`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from wayfinder.steps.base import Move, Output, SendMessage, StepType

UNREACHABLE = "unreachable"
SEND_HANDLES = (Output("next", required=False), Output(UNREACHABLE, required=False, tone="no"))
# The handles of a step whose channel cannot miss a customer: an `unreachable` output would be a dead end to connect.
REACHES_EVERYONE = (Output("next", required=False),)


class SendStep(StepType):
    group = "action"
    channel: ClassVar[str]
    handles = SEND_HANDLES

    def recipient(self, settings: dict[str, Any], address: str) -> str:
        """Where the message goes: the customer's address on the channel (a webhook: its URL)."""
        return address

    def execute(self, ctx, node, items):
        settings = node["data"]["settings"]
        moves = []
        for item in items:
            address, reason = ctx.address(item.customer_id, self.channel)
            if address is None:
                moves.append(Move(UNREACHABLE, reason=f"Unreachable: {reason}", otherwise="next"))
                continue
            ctx.effects.add(
                SendMessage.visit(
                    item,
                    node["id"],
                    channel=self.channel,
                    to_address=self.recipient(settings, address),
                    version_id=item.version_id,
                    event_id=item.trigger_event_id,
                )
            )
            moves.append(Move("next"))
        return moves
