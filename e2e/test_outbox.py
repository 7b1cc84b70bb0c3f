"""A published journey's email shows up in the Outbox (the dev SMTP catcher) and in the delivery log."""

from __future__ import annotations

from pages.outbox import OutboxPage
from playwright.sync_api import Page, expect

from wayfinder.journeys.builder import GraphBuilder


def welcome_graph() -> dict:
    g = GraphBuilder()
    g.chain(
        g.trigger("signup", event="signed_up"),
        g.email(
            "welcome",
            subject="歡迎加入，{{ customer.first_name }}！",
            body="<p>Your plan: <strong>{{ event.plan }}</strong></p>",
        ),
    )
    return g.build()


WELCOME = welcome_graph()


def test_sent_email_appears_in_the_outbox(page: Page, api):
    api.publish_journey("E2E welcome", WELCOME)
    api.post(
        "/api/customers", {"external_id": "e2e-mei", "email": "mei@example.com", "attributes": {"first_name": "美玲"}}
    )
    api.post(
        "/api/events",
        {"event_id": "signup-mei", "customer_id": "e2e-mei", "name": "signed_up", "properties": {"plan": "Gold"}},
    )

    outbox = OutboxPage(page).open()
    mail = outbox.mails().filter(has_text="歡迎加入，美玲！")
    expect(mail).to_have_count(1, timeout=20_000)  # the page refreshes itself; no reload needed
    expect(mail).to_contain_text("mei@example.com")
    mail.click()
    expect(outbox.preview_body()).to_contain_text("Your plan: Gold")

    outbox.show_delivery_log()
    row = outbox.message_rows().filter(has_text="mei@example.com")
    expect(row).to_have_attribute("data-status", "sent")
    # The log's detail shows the mail as the customer saw it, and its timeline.
    detail = outbox.open_message(row)
    expect(page.frame_locator("[data-testid='message-preview-frame']").locator("body")).to_contain_text(
        "Your plan: Gold"
    )
    expect(detail.get_by_test_id("message-timeline").locator("li[data-kind='sent']")).to_have_count(1)
