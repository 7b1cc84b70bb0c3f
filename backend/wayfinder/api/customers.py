"""/api/customers: upsert (identify), list, get."""

from __future__ import annotations

from sqlalchemy import func, select

from wayfinder.api import api_bp
from wayfinder.api.util import args, body
from wayfinder.errors import NotFound
from wayfinder.extensions import db
from wayfinder.models import Customer, utcnow
from wayfinder.schemas.api import CustomerInSchema, CustomerOutSchema, PageSchema
from wayfinder.tracking import upsert_customer

customer_out = CustomerOutSchema()


@api_bp.post("/customers")
def upsert():
    data = body(CustomerInSchema())
    customer, created = upsert_customer(db.session, data["external_id"], data["email"], data["attributes"], utcnow())
    db.session.commit()
    return customer_out.dump(customer), 201 if created else 200


@api_bp.get("/customers")
def list_customers():
    page = args(PageSchema())
    total = db.session.scalar(select(func.count()).select_from(Customer))
    customers = db.session.scalars(select(Customer).order_by(Customer.id).limit(page["limit"]).offset(page["offset"]))
    return {"customers": customer_out.dump(customers, many=True), "total": total}


@api_bp.get("/customers/<external_id>")
def get_customer(external_id: str):
    customer = db.session.scalar(select(Customer).where(Customer.external_id == external_id))
    if customer is None:
        raise NotFound(f"Customer {external_id} not found")
    return customer_out.dump(customer)
