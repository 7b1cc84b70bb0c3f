"""The effects buffer is written in bulk (attributes, tags with weights, enrolments, messages); the step
manifest is served by the API exactly as the CLI dumps it."""

from __future__ import annotations

import json
import subprocess
import sys

from sqlalchemy import select

from wayfinder import steps
from wayfinder.engine.effects import write_effects
from wayfinder.extensions import db
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import Customer, CustomerTag, Enrollment, Message, Tag, utcnow
from wayfinder.steps.base import Effects, Enrol, SendMessage, SetAttributes, TagChange

from .journeys import customer, publish


def ids(client, *external_ids):
    for x in external_ids:
        customer(client, x, x.title())
    return dict(db.session.execute(select(Customer.external_id, Customer.id)).all())


def test_effects_are_written_in_bulk(client):
    g = GraphBuilder()
    g.chain(g.trigger("t", event="never"), g.wait("w", days=1), g.exit("x"))
    journey_id = publish(client, g.build(), name="Target")
    cid = ids(client, "ann", "bob")
    effects = Effects()
    effects.add(SetAttributes(cid["ann"], {"tier": "gold", "first_name": None}))
    effects.add(SetAttributes(cid["ann"], {"points": 10}))
    effects.add(TagChange(cid["ann"], "oily skin", 1))
    effects.add(TagChange(cid["ann"], "oily skin", 2, journey_id=journey_id))  # concentration adds up
    effects.add(TagChange(cid["bob"], "vip", 1))
    effects.add(TagChange(cid["bob"], "vip", None))  # removed again in the same batch
    effects.add(Enrol(cid["bob"], journey_id))
    effects.add(Enrol(cid["bob"], journey_id))  # once only
    effects.add(
        SendMessage(
            enrollment_id=None,
            journey_id=None,
            customer_id=cid["ann"],
            node_id="n",
            seq=1,
            channel="sms",
            to_address="+886900000000",
        )
    )
    written = write_effects(db.session, effects, utcnow(), 300)
    db.session.commit()
    attributes = db.session.scalar(select(Customer.attributes).where(Customer.id == cid["ann"]))
    assert attributes == {"tier": "gold", "points": 10}
    tags = db.session.execute(
        select(CustomerTag.customer_id, Tag.name, CustomerTag.weight, CustomerTag.last_journey_id).join(Tag)
    ).all()
    assert tags == [(cid["ann"], "oily skin", 3, journey_id)]
    enrolled = db.session.execute(select(Enrollment.id, Enrollment.customer_id, Enrollment.current_node)).all()
    assert [(c, n) for _i, c, n in enrolled] == [(cid["bob"], "t")]
    assert written.enrollment_ids == [enrolled[0][0]] and written.journey_ids == {journey_id}
    assert db.session.scalars(select(Message.channel)).all() == ["sms"]
    assert len(written.message_ids) == 1

    # Re-adding a tag later adds to its weight.
    again = Effects()
    again.add(TagChange(cid["ann"], "oily skin", 1))
    write_effects(db.session, again, utcnow(), 300)
    db.session.commit()
    assert db.session.execute(select(CustomerTag.weight, CustomerTag.last_journey_id)).one() == (4, None)
    # A weight set (a count of events) replaces it; the tag keeps its first application.
    first = db.session.scalar(select(CustomerTag.first_applied_at))
    setting = Effects()
    setting.add(TagChange(cid["ann"], "oily skin", 7, replace=True))
    setting.add(TagChange(cid["ann"], "oily skin", 1))  # then one more in the same batch
    write_effects(db.session, setting, utcnow(), 300)
    db.session.commit()
    assert db.session.execute(select(CustomerTag.weight, CustomerTag.first_applied_at)).one() == (8, first)


def test_manifest_endpoint_equals_the_cli_dump(client):
    served = client.get("/api/steps/manifest").get_json()
    dumped = json.loads(
        subprocess.run(
            [sys.executable, "-m", "wayfinder.cli", "steps-manifest"], check=True, capture_output=True, text=True
        ).stdout
    )
    assert served == dumped
    assert {t["type"] for t in served["types"]} == set(steps.all_types())
