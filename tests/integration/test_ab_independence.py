"""A/B tests are independent across journeys: each random split hashes customers with its own seed, drawn when
the split is first saved and kept across versions; a split published before seeds existed keeps assigning as
it did."""

from __future__ import annotations

import copy

from sqlalchemy import select

from wayfinder.extensions import db
from wayfinder.journeys import service
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import Customer, Enrollment, Journey
from wayfinder.steps.random_split import bucket

CUSTOMERS = 400  # enough to tell independent arms (about half agree) from one seed for all (all agree)


def _ab_graph(event: str) -> dict:
    """The editor's first split of a journey is always `random-split-1`."""
    g = GraphBuilder()
    g.settings["reentry"] = "always"
    g.chain(g.trigger("t", event=event), g.random_split("random-split-1", {"a": 50, "b": 50}))
    g.connect("random-split-1", g.exit("got_a"), handle="a")
    g.connect("random-split-1", g.exit("got_b"), handle="b")
    return g.build()


def _arms(journey_id: int) -> dict[int, list[str]]:
    """Each customer's arm in each enrollment of this journey (in enrollment order)."""
    arms: dict[int, list[str]] = {}
    for customer_id, context in db.session.execute(
        select(Enrollment.customer_id, Enrollment.context)
        .where(Enrollment.journey_id == journey_id)
        .order_by(Enrollment.id)
    ):
        arms.setdefault(customer_id, []).append(context["state"]["random-split-1"]["branch"])
    db.session.remove()
    return arms


def _seed(journey_id: int) -> str | None:
    journey = db.session.get(Journey, journey_id)
    graph = (journey.draft or journey.live_version).graph
    (settings,) = [n["data"]["settings"] for n in graph["nodes"] if n["id"] == "random-split-1"]
    return settings.get("seed")


def test_two_journeys_splits_agree_on_about_half_and_a_re_entry_keeps_its_arm(sim):
    first, second = sim.publish(_ab_graph("promo"), "Promo A/B"), sim.publish(_ab_graph("promo"), "Promo holdout")
    seeds = _seed(first), _seed(second)
    assert all(seeds) and seeds[0] != seeds[1]
    people = {f"ab{i}": {} for i in range(CUSTOMERS)}
    sim.customers(people)
    sim.track([(c, "promo", {}) for c in people])
    one, two = _arms(first), _arms(second)
    assert len(one) == len(two) == CUSTOMERS
    agree = sum(one[c][0] == two[c][0] for c in one)
    # Independent 50/50 arms agree Binomial(400, 1/2) times: mean 200, sd 10; ±60 is 6 sd. (With one seed for
    # all, every customer agreed: 400.) The seeds are random, so the exact count differs from run to run.
    assert 140 <= agree <= 260, agree
    assert 140 <= sum(arms[0] == "a" for arms in one.values()) <= 260
    ids = dict(db.session.execute(select(Customer.id, Customer.external_id)).all())
    for customer_id, arms in one.items():
        assert arms[0] == ("a" if bucket(customer_id, "random-split-1", seeds[0]) < 50 else "b"), ids[customer_id]

    # Re-entry: the first 100 customers enter the first journey again and land in the same arm.
    again = list(people)[:100]
    sim.advance(hours=1)
    sim.track([(c, "promo", {}) for c in again])
    one = _arms(first)
    re_entered = [arms for arms in one.values() if len(arms) == 2]
    assert len(re_entered) == 100
    assert all(arms[0] == arms[1] for arms in re_entered)


def test_the_seed_is_kept_across_saves_and_versions_even_when_a_save_leaves_it_out(sim):
    journey_id = sim.publish(_ab_graph("promo"))
    seed = _seed(journey_id)
    journey = sim.client.get(f"/api/journeys/{journey_id}").get_json()
    graph = copy.deepcopy(journey["graph"])
    for node in graph["nodes"]:
        node["data"]["settings"].pop("seed", None)  # a client that does not know the field
        if node["id"] == "random-split-1":
            node["data"]["settings"]["branches"][0]["percent"] = 40
            node["data"]["settings"]["branches"][1]["percent"] = 60
    saved = sim.client.put(f"/api/journeys/{journey_id}", json={"revision": journey["revision"], "graph": graph})
    assert saved.status_code == 200, saved.get_json()
    assert _seed(journey_id) == seed
    assert sim.client.post(f"/api/journeys/{journey_id}/publish").status_code == 200
    assert _seed(journey_id) == seed


def test_a_split_published_before_seeds_existed_keeps_assigning_as_before(sim):
    """A version published without a seed (as every version before this change) keeps the old hash, and so does
    the next version of that journey: a live test is never reshuffled."""
    journey = service.create_journey(db.session, "Legacy A/B", graph=_ab_graph("promo"))
    service.publish(db.session, journey)
    legacy = copy.deepcopy(journey.versions[-1].graph)  # as stored before seeds existed: no seed
    legacy["nodes"][1]["data"]["settings"].pop("seed")
    journey.versions[-1].graph = legacy
    db.session.commit()
    journey_id = journey.id
    assert _seed(journey_id) is None
    people = {f"old{i}": {} for i in range(200)}
    sim.customers(people)
    sim.track([(c, "promo", {}) for c in people])
    for customer_id, arms in _arms(journey_id).items():
        assert arms == ["a" if bucket(customer_id, "random-split-1") < 50 else "b"]

    detail = sim.client.get(f"/api/journeys/{journey_id}").get_json()
    renamed = copy.deepcopy(detail["graph"])
    renamed["nodes"][0]["data"]["label"] = "Promo day"
    saved = sim.client.put(f"/api/journeys/{journey_id}", json={"revision": detail["revision"], "graph": renamed})
    assert saved.status_code == 200, saved.get_json()
    assert sim.client.post(f"/api/journeys/{journey_id}/publish").status_code == 200
    assert _seed(journey_id) is None  # still the old hash in version 2
    sim.advance(hours=1)
    sim.track([(c, "promo", {}) for c in people])
    for customer_id, arms in _arms(journey_id).items():
        assert arms == ["a" if bucket(customer_id, "random-split-1") < 50 else "b"] * 2
