"""Live counts over Socket.IO: join → snapshot, publisher → deltas of the changed nodes only.

How this is tested, and why (flask_socketio/test_client.py, python-socketio pubsub_manager.py):

* `SocketIOTestClient.__init__` raises RuntimeError("Test client cannot be used with a message queue …")
  when the server's manager is a `PubSubManager`, which is what `create_app` installs when REDIS_URL is set.
  So the client-facing tests re-initialise the app's SocketIO *without* a message queue — the test
  configuration flask-socketio asks for — while REDIS_URL stays set, so the publisher's dirty-journey set
  and last-sent values live in the real Redis. Emitting to a room then delivers synchronously to the test
  clients in it, which is exactly what a web process does with a message that reaches it from Redis
  (`PubSubManager._handle_emit` calls the base manager's `emit`).
* The Redis hop itself is tested with the production configuration (RedisManager): a plain Redis
  subscriber on the `flask-socketio` channel — what every web process listens to — must receive the
  publisher's `counts:delta` emit for the journey's room. A second process is not needed for that.
"""

from __future__ import annotations

import json
import time

import pytest
import redis

from tests.integration.accounts import make_member, sign_in
from tests.integration.journeys import customer, node_count
from wayfinder.engine.publisher import publish_pending, room
from wayfinder.extensions import db, socketio
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import DEFAULT_WORKSPACE_ID
from wayfinder.workspaces.settings import create_workspace


def live_graph(event: str) -> dict:
    """cart (on `event`) → wait 1 h → done."""
    g = GraphBuilder()
    g.chain(g.trigger("cart", event=event), g.wait("wait", hours=1), g.exit("done"))
    return g.build()


CHANNEL = "flask-socketio"  # flask-socketio's default message-queue channel


def publish(client, event="cart_updated"):
    journey = client.post("/api/journeys", json={"name": "Live", "graph": live_graph(event)}).get_json()
    assert client.post(f"/api/journeys/{journey['id']}/publish").status_code == 200
    return journey["id"]


def track(client, event_id, customer_id):
    response = client.post(
        "/api/events", json={"event_id": event_id, "customer_id": customer_id, "name": "cart_updated"}
    )
    assert response.status_code == 202


def c(entered, waiting, moved_on, exited, errored=0):
    return node_count(entered, waiting, moved_on, exited, errored)


def events(sio, name):
    return [m["args"] for m in sio.get_received() if m["name"] == name]


@pytest.fixture
def throttled(app):
    """As if another process had just published: workers leave the publishing to `publish_pending`."""
    conn = redis.Redis.from_url(app.config["REDIS_URL"])
    conn.set(f"{app.config['QUEUE_PREFIX']}wayfinder:live:throttle", 1, px=600_000)
    yield
    conn.delete(f"{app.config['QUEUE_PREFIX']}wayfinder:live:throttle")


@pytest.fixture
def sio_app(app):
    """The test app with its SocketIO running without a message queue (see the module docstring).

    `init_app` keeps an earlier `client_manager` in `server_options`, so it is dropped explicitly; the next
    `create_app` installs a fresh RedisManager again.
    """
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(app, message_queue=None, async_mode="threading", cors_allowed_origins="*")
    return app


def test_every_app_registers_the_join_and_leave_handlers(app):
    # `app` is built anew for each test; its Socket.IO server must answer `join` whatever was built before.
    assert {"join", "leave"} <= set(socketio.server.handlers.get("/", {}))


def test_test_client_refuses_the_message_queue_configuration(app):
    # Documents why `sio_app` exists: with REDIS_URL, the app's SocketIO uses the Redis manager.
    with pytest.raises(RuntimeError, match="message queue"):
        socketio.test_client(app)


def test_join_answers_with_a_snapshot_of_current_counts(sio_app, client, engine):
    journey_id = publish(client)
    track(client, "a-1", "alice")
    track(client, "b-1", "bob")
    engine.run_jobs()
    sio = socketio.test_client(sio_app, flask_test_client=client)
    assert sio.is_connected()
    ack = sio.emit("join", {"journey_id": journey_id}, callback=True)
    assert ack == {"ok": True}
    assert events(sio, "counts:snapshot") == [
        [
            {
                "journey_id": journey_id,
                "nodes": {"cart": c(2, 0, 2, 0), "wait": c(2, 2, 0, 0)},
            }
        ]
    ]
    sio.disconnect()


@pytest.mark.parametrize("payload", [{"journey_id": "abc"}, {}, "3", None, [3]])
def test_join_with_a_bad_payload_returns_an_error_ack(sio_app, client, payload):
    sio = socketio.test_client(sio_app, flask_test_client=client)
    ack = sio.emit("join", payload, callback=True)
    assert ack == {"ok": False, "error": "journey_id must be an integer"}
    assert sio.get_received() == []  # no snapshot, no room
    sio.disconnect()


def test_publisher_emits_only_changed_nodes_to_the_room(sio_app, throttled, client, engine):
    journey_id = publish(client)
    other_id = publish(client, event="purchase")
    watcher = socketio.test_client(sio_app, flask_test_client=client)
    bystander = socketio.test_client(sio_app, flask_test_client=client)  # in another journey's room
    watcher.emit("join", {"journey_id": journey_id})
    bystander.emit("join", {"journey_id": other_id})
    assert events(watcher, "counts:snapshot") == [[{"journey_id": journey_id, "nodes": {}}]]
    bystander.get_received()

    track(client, "a-1", "alice")
    engine.run_jobs()
    assert publish_pending() == 1
    assert events(watcher, "counts:delta") == [
        [{"journey_id": journey_id, "nodes": {"cart": c(1, 0, 1, 0), "wait": c(1, 1, 0, 0)}}]
    ]
    assert bystander.get_received() == []

    # Nothing changed since: nothing is emitted.
    assert publish_pending() == 0
    assert watcher.get_received() == []

    # A second customer enters and the first one's wait ends: `cart` and `wait` change, `done` appears.
    track(client, "b-1", "bob")
    engine.run_jobs()
    assert publish_pending() == 1
    assert events(watcher, "counts:delta") == [
        [{"journey_id": journey_id, "nodes": {"cart": c(2, 0, 2, 0), "wait": c(2, 2, 0, 0)}}]
    ]
    engine.advance_clock(hours=2)
    assert publish_pending() == 1
    [[delta]] = events(watcher, "counts:delta")
    assert delta == {"journey_id": journey_id, "nodes": {"wait": c(2, 0, 2, 0), "done": c(2, 0, 0, 2)}}
    assert "cart" not in delta["nodes"]  # unchanged, so not sent

    watcher.emit("leave", {"journey_id": journey_id})
    track(client, "c-1", "carol")
    engine.run_jobs()
    assert publish_pending() == 1
    assert watcher.get_received() == []  # left the room
    watcher.disconnect()
    bystander.disconnect()


def test_the_worker_publishes_unless_another_process_just_did(sio_app, client, engine):
    journey_id = publish(client)
    watcher = socketio.test_client(sio_app, flask_test_client=client)
    watcher.emit("join", {"journey_id": journey_id})
    watcher.get_received()

    track(client, "a-1", "alice")
    engine.run_jobs()  # the advance job publishes right after its commit
    assert events(watcher, "counts:delta") == [
        [{"journey_id": journey_id, "nodes": {"cart": c(1, 0, 1, 0), "wait": c(1, 1, 0, 0)}}]
    ]

    # Within the throttle window the worker leaves it to the ticker's publish_pending.
    conn = redis.Redis.from_url(sio_app.config["REDIS_URL"])
    conn.set(f"{sio_app.config['QUEUE_PREFIX']}wayfinder:live:throttle", 1, px=600_000)
    track(client, "b-1", "bob")
    engine.run_jobs()
    assert watcher.get_received() == []
    assert publish_pending() == 1
    assert events(watcher, "counts:delta") == [
        [{"journey_id": journey_id, "nodes": {"cart": c(2, 0, 2, 0), "wait": c(2, 2, 0, 0)}}]
    ]
    watcher.disconnect()


def test_publisher_delta_goes_through_the_redis_message_queue(app, throttled, client, engine):
    """Production configuration: the emit is published on the Redis channel the web processes listen to."""
    from socketio import RedisManager

    assert isinstance(socketio.server.manager, RedisManager)
    journey_id = publish(client)
    track(client, "a-1", "alice")
    engine.run_jobs()

    conn = redis.Redis.from_url(app.config["REDIS_URL"])
    pubsub = conn.pubsub()
    pubsub.subscribe(CHANNEL)
    confirmation = pubsub.get_message(timeout=5)  # once confirmed, every later PUBLISH reaches us
    assert confirmation is not None and confirmation["type"] == "subscribe"

    def next_message_for_us():
        """The next channel message for this journey's room (a bounded wait: Redis is a real server).
        Other processes on the same Redis server may publish on the channel too; those are skipped."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            raw = pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
            if raw is None:
                continue
            message = json.loads(raw["data"])
            if message.get("room") == room(DEFAULT_WORKSPACE_ID, journey_id) or message.get("event") == "test:sentinel":
                return message
        raise AssertionError("no message on the Socket.IO channel")

    try:
        assert publish_pending() == 1
        message = next_message_for_us()
        assert message["method"] == "emit"
        assert message["event"] == "counts:delta"
        assert message["namespace"] == "/"
        assert message["data"] == [{"journey_id": journey_id, "nodes": {"cart": c(1, 0, 1, 0), "wait": c(1, 1, 0, 0)}}]

        # No change: nothing is published. A sentinel published after it must be the next message we see
        # (PUBLISH is synchronous, so anything the publisher had sent would arrive first).
        assert publish_pending() == 0
        conn.publish(CHANNEL, json.dumps({"method": "noop", "event": "test:sentinel", "room": None}))
        assert next_message_for_us()["event"] == "test:sentinel"
    finally:
        pubsub.close()
        conn.close()


def test_deliveries_tell_the_room_that_send_tallies_changed(sio_app, throttled, client, engine):
    """A delivery moves no node count, so no counts delta announces it: the delivery job marks its journeys and
    the publisher emits `messages:delta` to their rooms (the canvas fetches the tallies again)."""
    g = GraphBuilder()
    g.chain(g.trigger("t", event="signed_up"), g.email("mail", subject="Welcome"))
    journey = client.post("/api/journeys", json={"name": "Welcome", "graph": g.build()}).get_json()
    assert client.post(f"/api/journeys/{journey['id']}/publish").status_code == 200
    other_id = publish(client)
    watcher, bystander = (
        socketio.test_client(sio_app, flask_test_client=client),
        socketio.test_client(sio_app, flask_test_client=client),
    )
    watcher.emit("join", {"journey_id": journey["id"]})
    bystander.emit("join", {"journey_id": other_id})
    publish_pending()
    watcher.get_received()
    bystander.get_received()

    customer(client, "dee", "Dee")
    client.post("/api/events", json={"event_id": "s-1", "customer_id": "dee", "name": "signed_up"})
    engine.run_jobs()  # enrol, advance (the message is created), deliver (it is sent)
    publish_pending()
    assert events(watcher, "messages:delta") == [[{"journey_id": journey["id"]}]]
    assert bystander.get_received() == []
    assert publish_pending() == 0  # said once
    watcher.disconnect()
    bystander.disconnect()


def test_a_connection_without_a_signed_in_session_is_refused(sio_app, anonymous):
    sio = socketio.test_client(sio_app, flask_test_client=anonymous)
    assert not sio.is_connected()


def test_signing_out_closes_the_sessions_connections_and_later_joins_are_refused(sio_app, client):
    journey_id = client.post("/api/journeys", json={"name": "Live"}).get_json()["id"]
    sio = socketio.test_client(sio_app, flask_test_client=client)
    assert sio.is_connected()
    assert sio.emit("join", {"journey_id": journey_id}, callback=True) == {"ok": True}
    cookie = client.get_cookie("wayfinder_session").value
    assert client.delete("/api/session").status_code == 204
    assert not sio.is_connected()
    # The signed-out cookie, replayed, opens nothing either.
    client.set_cookie("wayfinder_session", cookie)
    assert not socketio.test_client(sio_app, flask_test_client=client).is_connected()


def test_a_member_of_another_workspace_joins_only_her_workspaces_rooms(sio_app, client):
    """Socket.IO events run no before_request hooks: the join itself scopes to the signed-in member's workspace
    (her requests are scoped by the sign-in gate alone here: no test hook picks the workspace)."""
    ours = publish(client)
    other = create_workspace(db.session, "other-brand", "Other brand").id
    db.session.commit()
    make_member(sio_app, email="mia@example.com", role="marketer", workspace_id=other, display_name="Mia")
    mia = sign_in(sio_app, "mia@example.com")
    theirs = publish(mia)

    sio = socketio.test_client(sio_app, flask_test_client=mia)
    assert sio.emit("join", {"journey_id": theirs}, callback=True) == {"ok": True}
    assert sio.emit("join", {"journey_id": ours}, callback=True) == {"ok": False, "error": f"journey {ours} not found"}
    sio.get_received()
    socketio.emit("probe", {"to": "theirs"}, to=room(other, theirs))
    socketio.emit("probe", {"to": "ours"}, to=room(DEFAULT_WORKSPACE_ID, ours))
    assert events(sio, "probe") == [[{"to": "theirs"}]]  # in her workspace's room only
    sio.disconnect()
