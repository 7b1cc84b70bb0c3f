"""The password policy and hashing (argon2id through argon2-cffi; no app, no services)."""

from __future__ import annotations

import pytest

from wayfinder.accounts.passwords import (
    SAME_AS_EMAIL,
    TOO_COMMON,
    TOO_LONG,
    TOO_SHORT,
    common_passwords,
    hash_password,
    policy_problems,
    verify_password,
)


def test_the_common_list_ships_with_thousands_of_entries():
    common = common_passwords()
    assert len(common) >= 10_000
    assert {"password", "123456", "qwerty123456"} <= common


@pytest.mark.parametrize(
    ("password", "problems"),
    [
        ("short", [TOO_SHORT]),
        ("x" * 11, [TOO_SHORT]),
        ("qwerty123456", [TOO_COMMON]),
        ("QWERTY123456", [TOO_COMMON]),  # compared lower-cased
        ("x" * 257, [TOO_LONG]),
        ("amy@example.com", [SAME_AS_EMAIL]),
        ("correct horse battery staple", []),
    ],
)
def test_policy(password, problems):
    assert policy_problems(password, email="Amy@Example.com") == problems


def test_hashes_are_argon2id_salted_and_verify():
    first, second = hash_password("correct horse battery staple"), hash_password("correct horse battery staple")
    assert first.startswith("$argon2id$") and first != second
    assert verify_password(first, "correct horse battery staple")
    assert not verify_password(first, "Correct horse battery staple")
    assert not verify_password("not a hash", "anything")
