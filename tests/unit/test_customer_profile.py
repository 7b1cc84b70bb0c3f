"""The one definition of a customer as templates, conditions and the UI see them (`audience.profile`)."""

from __future__ import annotations

from datetime import UTC, datetime

from wayfinder.audience.profile import customer_data, display_name
from wayfinder.engine.context import StepContext
from wayfinder.models import Customer


def test_customer_data_is_attributes_plus_builtin_fields_which_win():
    attributes = {"first_name": "Amy", "email": "spoofed@example.com", "external_id": "other"}
    assert customer_data(attributes, "amy", "amy@example.com") == {
        "first_name": "Amy",
        "external_id": "amy",
        "email": "amy@example.com",
    }
    assert customer_data(None, "bob", None) == {"external_id": "bob", "email": None}
    assert attributes["email"] == "spoofed@example.com"  # the caller's mapping is not changed


def test_the_engine_sees_the_same_customer_data():
    # The engine reads customers as rows with these fields; its StepContext uses the shared definition.
    customer = Customer(id=7, external_id="amy", email="amy@example.com", attributes={"tier": "gold", "email": "x"})
    ctx = StepContext(session=None, now=datetime(2026, 1, 1, tzinfo=UTC), customers={7: customer})  # type: ignore[arg-type]
    assert ctx.customer_data(7) == customer_data(customer.attributes, customer.external_id, customer.email)


def test_display_name():
    assert display_name({"first_name": "Mei", "last_name": "Lin"}) == "Mei Lin"
    assert display_name({"last_name": "Lin", "name": "ignored"}) == "Lin"
    assert display_name({"first_name": "", "name": "Mei Lin"}) == "Mei Lin"
    assert display_name({"first_name": 7}) == "7"
    assert display_name({}) is None and display_name(None) is None
