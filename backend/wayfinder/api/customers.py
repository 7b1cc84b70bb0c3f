"""/api/customers: upsert (identify), list, get."""

from __future__ import annotations

from marshmallow import ValidationError
from sqlalchemy import func, select

from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.errors import NotFound
from wayfinder.extensions import db
from wayfinder.models import Customer, utcnow
from wayfinder.schemas.api import (
    CustomerInSchema,
    CustomerListOutSchema,
    CustomerOutSchema,
    ErrorSchema,
    PageSchema,
)
from wayfinder.schemas.fields import check_text
from wayfinder.tracking import upsert_customer
from wayfinder.workspaces.scoping import request_workspace

blp = Blueprint("customers", __name__, url_prefix="/api/customers", description="Customers, by their external id.")


LINKS = {
    "GetCustomer": {
        "operationId": "customers.get_customer",
        "parameters": {"external_id": "$response.body#/external_id"},
    }
}


@blp.post("")
@blp.doc(responses={200: {"links": LINKS}, 201: {"links": LINKS}})
@blp.arguments(CustomerInSchema)
@blp.response(200, CustomerOutSchema, description="An existing customer, updated")
@blp.alt_response(201, schema=CustomerOutSchema, description="A new customer")
@requires("events.track")
def upsert(data: dict):
    """Create or update a customer; `attributes` are merged into the stored ones."""
    customer, created = upsert_customer(
        db.session, data["external_id"], data["email"], data["attributes"], utcnow(), workspace_id=request_workspace()
    )
    db.session.commit()
    return customer, 201 if created else 200


@blp.get("")
@blp.arguments(PageSchema, location="query")
@blp.response(200, CustomerListOutSchema)
@requires("customers.read")
def list_customers(page: dict):
    """Customers in the order they were first seen."""
    total = db.session.scalar(select(func.count()).select_from(Customer))
    customers = db.session.scalars(select(Customer).order_by(Customer.id).limit(page["limit"]).offset(page["offset"]))
    return {"customers": list(customers), "total": total}


@blp.get("/<string(maxlength=128):external_id>")
@blp.response(200, CustomerOutSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such customer")
@requires("customers.read")
def get_customer(external_id: str):
    """One customer."""
    try:
        check_text(external_id)
    except ValidationError:  # a NUL or a lone surrogate cannot name a stored customer
        raise NotFound(f"Customer {external_id!r} not found") from None
    customer = db.session.scalar(select(Customer).where(Customer.external_id == external_id))
    if customer is None:
        raise NotFound(f"Customer {external_id} not found")
    return customer
