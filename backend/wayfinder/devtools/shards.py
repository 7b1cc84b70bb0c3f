"""Splitting a test suite into shards of about equal time, so backend/bin/test can run them side by side.

A shard is a set of whole files (a module's fixtures stay in one process), dealt by expected seconds: longest
first, each to the shard with the least so far, ties by name, so every process computes the same split without
talking to the others. A stale or missing figure only makes the shards less even; it never leaves a test out.
"""

from __future__ import annotations


def parse(spec: str) -> tuple[int, int]:
    """ "i/n" → (i, n) with 1 <= i <= n; ValueError otherwise."""
    index, count = (int(part) for part in spec.split("/"))
    if not 1 <= index <= count:
        raise ValueError(spec)
    return index, count


def deal(seconds: dict[str, float], count: int) -> list[set[str]]:
    """Names (file → expected seconds) dealt into `count` shards of about equal total."""
    shards: list[set[str]] = [set() for _ in range(count)]
    totals = [0.0] * count
    for name in sorted(seconds, key=lambda n: (-seconds[n], n)):
        lightest = totals.index(min(totals))
        shards[lightest].add(name)
        totals[lightest] += seconds[name]
    return shards
