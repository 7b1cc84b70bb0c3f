"""What a customer did with the message an earlier send step of their journey sent them, read from the message
event log (`MessageEvent`): the one reading shared by the engagement wait (`wait_for_engagement`, which leaves at
once when the customer engaged before reaching it) and the condition on engagement (`condition`, `kind: message`).

Only the message of *this* enrollment counts (`messages.enrollment_id` + `node_id`): an open of the same step's
email in an earlier enrollment, or of another journey's email, is not an answer to this one. An open or click that
tracking judged machine-made (`detail.machine` true: a mail scanner prefetching every link) is not engagement. A
click counts as an open too: a customer who clicked read the message, even when their client blocked the pixel.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from wayfinder.db_utils import chunked, one_of
from wayfinder.models import Message, MessageEvent, MessageEventKind, MessageStatus

# The engagement a wait waits for / a condition asks about.
OPENED = "opened"
CLICKED = "clicked"
CLICKED_LINK = "clicked_link"


@dataclass
class Engagement:
    """One enrollment's message(s) from one send step: whether one reached the customer, was opened, and the links
    clicked (one entry per human click; "" when tracking recorded no url)."""

    delivered: bool = False
    opened: bool = False
    clicked_urls: list[str] = field(default_factory=list)

    @property
    def clicked(self) -> bool:
        return bool(self.clicked_urls)

    def clicked_link(self, url_contains: str) -> bool:
        needle = url_contains.casefold()
        return any(needle in url.casefold() for url in self.clicked_urls)

    def has(self, engagement: str, url_contains: str = "") -> bool:
        if engagement == CLICKED_LINK:
            return self.clicked_link(url_contains)
        return self.clicked if engagement == CLICKED else self.opened


_KINDS = (MessageEventKind.DELIVERED, MessageEventKind.OPENED, MessageEventKind.CLICKED)


def _human(detail: dict | None) -> bool:
    return not (isinstance(detail, dict) and detail.get("machine") is True)


def engagement_of(session: Session, node_id: str, enrollment_ids: Iterable[int]) -> dict[int, Engagement]:
    """{enrollment id: Engagement} with the messages step `node_id` sent in these enrollments (an enrollment it sent
    nothing in is absent), one query per 500 enrollments."""
    found: dict[int, Engagement] = {}
    for chunk in chunked(sorted(set(enrollment_ids))):
        rows = session.execute(
            select(Message.enrollment_id, Message.status, MessageEvent.kind, MessageEvent.detail)
            .outerjoin(MessageEvent, and_(MessageEvent.message_id == Message.id, MessageEvent.kind.in_(_KINDS)))
            .where(one_of(session, Message.enrollment_id, chunk), Message.node_id == node_id)
        )
        for enrollment_id, status, kind, detail in rows:
            seen = found.setdefault(enrollment_id, Engagement())
            seen.delivered |= status == MessageStatus.SENT or kind == MessageEventKind.DELIVERED
            if kind in (MessageEventKind.OPENED, MessageEventKind.CLICKED) and _human(detail):
                seen.opened = True
                if kind == MessageEventKind.CLICKED:
                    seen.clicked_urls.append(str((detail or {}).get("url") or ""))
    return found
