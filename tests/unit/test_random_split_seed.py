"""A random split's arm is a hash of (its seed, customer, node); the backend fills the seed on save."""

from __future__ import annotations

from wayfinder import steps
from wayfinder.steps.random_split import bucket

split = steps.get("random_split")
BRANCHES = {"branches": [{"id": "a", "label": "A", "percent": 50}, {"id": "b", "label": "B", "percent": 50}]}


def test_two_seeds_put_about_half_of_2000_customers_in_the_same_arm():
    agree = sum(
        (bucket(c, "random-split-1", "f00d") < 50) == (bucket(c, "random-split-1", "beef") < 50) for c in range(2000)
    )
    assert 850 <= agree <= 1150, agree  # deterministic for these seeds; mean 1000, sd 22.4
    assert all(bucket(c, "random-split-1", "f00d") == bucket(c, "random-split-1", "f00d") for c in range(100))
    assert bucket(7, "random-split-1") != bucket(7, "random-split-1", "f00d")


def test_on_save_draws_a_seed_for_a_new_split_and_keeps_an_existing_one():
    fresh = split.on_save(dict(BRANCHES), None, [])
    assert len(fresh["seed"]) == 16
    assert split.on_save(dict(BRANCHES), None, [])["seed"] != fresh["seed"]
    assert split.on_save({**BRANCHES, "seed": "mine"}, {"seed": "other"}, [])["seed"] == "mine"
    assert split.on_save(dict(BRANCHES), {**BRANCHES, "seed": "drafted"}, [])["seed"] == "drafted"
    assert split.on_save(dict(BRANCHES), None, [{**BRANCHES, "seed": "live"}])["seed"] == "live"


def test_a_split_already_published_without_a_seed_stays_without_one():
    legacy = {**BRANCHES, "seed": None}
    assert split.on_save(dict(BRANCHES), None, [legacy]).get("seed") is None
    assert split.on_save(dict(BRANCHES), dict(BRANCHES), [dict(BRANCHES)]).get("seed") is None
