"""Journeys the e2e tests seed, where more than one test file needs the same one."""

from __future__ import annotations

import copy

from wayfinder.demo.seed import abandoned_cart_graph


def slow_cart_graph() -> dict:
    """The demo's abandoned cart with its first wait (`wait_1h`) at 2 hours: long enough that nobody moves on
    during a test, so customers can be counted and listed there."""
    graph = copy.deepcopy(abandoned_cart_graph())
    for node in graph["nodes"]:
        if node["id"] == "wait_1h":
            node["data"]["settings"] = {"amount": 2, "unit": "hours"}
    return graph
