"""Live watchers: N Socket.IO watchers on one journey while E events go through the API.

Real stack: a fresh database (SQLite file, or --database-url), Redis (--redis-url, else the embedded
redis-server), --web `wayfinder web` processes (gunicorn, one gevent worker each), one `wayfinder worker` and one
`wayfinder ticker`. Watchers are spread round-robin over the web processes (what a sticky load balancer does),
each a real WebSocket (Socket.IO's websocket transport) that joins the journey's room. Events are sent one at a
time, --interval apart, each enrolling a new customer in the journey's trigger step; every watcher records when
it first sees the trigger's `entered` count reach that event's number (from a `counts:delta`).

Prints, per event, the staleness of the slowest watcher (from the moment the event was sent to the API until the
last watcher saw the count; so it includes the intake's own answer time) as p50 / p99 / max, and the latency of
the REST calls made while they watch (the event POSTs, and GET /api/journeys/<id>/counts every 100 ms) as
p50 / p99. The product goal: 1,000 watchers over 2 web processes with staleness p99 <= 300 ms and REST p99 <= 200 ms.

The watchers run in this process (gevent greenlets), on the same machine as the servers: their own CPU time is
part of what is measured.

    python bench/live_watchers.py                          # 1,000 watchers, 2 web processes, 100 events, SQLite
    python bench/live_watchers.py --watchers 200 --web 1 --events 50
    python bench/live_watchers.py --database-url postgresql://postgres@127.0.0.1:5432/test
"""

from gevent import monkey

monkey.patch_all()  # before anything imports socket/threading: one greenlet per watcher

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from contextlib import ExitStack  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402
import websocket  # noqa: E402
from _stack import add_stack_arguments, db_name, start_stack  # noqa: E402  (puts backend/ on sys.path: before any wayfinder import)
from gevent.pool import Pool  # noqa: E402

from wayfinder.accounts.service import add_membership, create_user  # noqa: E402
from wayfinder.devtools.embedded_redis import free_port  # noqa: E402
from wayfinder.extensions import db  # noqa: E402
from wayfinder.journeys import service as journeys  # noqa: E402
from wayfinder.journeys.builder import GraphBuilder  # noqa: E402

TRIGGER = "cart"
EMAIL, PASSWORD = "bench@wayfinder.local", "live watchers bench owner"  # the watchers' signed-in session


def graph() -> dict:
    g = GraphBuilder()
    g.chain(g.trigger(TRIGGER, event="cart_updated"), g.wait("wait", days=1), g.exit("done"))
    return g.build()


class Watcher:
    """One Socket.IO client over a raw WebSocket: Engine.IO open, namespace connect, join, then deltas."""

    def __init__(self, port: int, journey_id: int, cookie: str) -> None:
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket", timeout=60, cookie=cookie
        )
        self.entered = 0
        self.seen: dict[int, float] = {}  # trigger `entered` value -> when it was first seen (monotonic)
        self.closed = False
        assert self._next().startswith("0")
        self.ws.send("40")
        assert self._next().startswith("40")
        self.ws.send("421" + json.dumps(["join", {"journey_id": journey_id}]))
        while True:
            packet = self._next()
            if packet.startswith("431"):
                assert json.loads(packet[3:]) == [{"ok": True}], packet
                break
            self._handle(packet)
        self.ws.settimeout(None)

    def _next(self) -> str:
        while True:
            packet = self.ws.recv()
            if packet == "2":
                self.ws.send("3")  # Engine.IO ping -> pong
                continue
            return packet

    def _handle(self, packet: str) -> None:
        if not packet.startswith("42"):
            return
        name, data = json.loads(packet[2:])
        if name not in ("counts:snapshot", "counts:delta"):
            return
        node = data["nodes"].get(TRIGGER)
        if node is None or node["entered"] <= self.entered:
            return
        now = time.monotonic()
        for value in range(self.entered + 1, node["entered"] + 1):
            self.seen[value] = now
        self.entered = node["entered"]

    def run(self) -> None:
        try:
            while True:
                self._handle(self._next())
        except (OSError, websocket.WebSocketException):
            self.closed = True

    def close(self) -> None:
        try:
            self.ws.close(timeout=1)
        except (OSError, websocket.WebSocketException):
            pass


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def call(method: str, url: str, cookie: str = "", key: str = "", **kwargs) -> requests.Response:
    """One REST call on a new connection (no keep-alive: an idle kept-alive connection that the server closes
    would fail a call for a reason this benchmark does not measure), with the session cookie or API key when
    given."""
    headers = {"Connection": "close", **({"Cookie": cookie} if cookie else {})}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return requests.request(method, url, timeout=30, headers=headers, **kwargs)


def start(argv: list[str], env: dict[str, str], log_path: str) -> subprocess.Popen:
    log = open(log_path, "w")  # noqa: SIM115 - the process's output, kept in the temporary directory
    return subprocess.Popen([sys.executable, "-m", "wayfinder.cli", *argv], env=env, stdout=log, stderr=log)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--watchers", type=int, default=1000)
    parser.add_argument("--web", type=int, default=2, help="web processes (watchers are spread over them)")
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between two events")
    add_stack_arguments(parser)
    parser.add_argument("--log-dir", help="keep the processes' output here (default: the temporary directory)")
    args = parser.parse_args()
    if not (1 <= args.watchers <= 20_000 and 1 <= args.web <= 8 and 1 <= args.events <= 10_000):
        parser.error("--watchers 1..20000, --web 1..8, --events 1..10000")

    with ExitStack() as stack:
        bench = start_stack(stack, args, queue_prefix="livebench:", tmp_prefix="wayfinder-live-bench-")
        with bench.app.app_context():
            journey = journeys.create_journey(db.session, "Live bench", graph=graph())
            journeys.publish(db.session, journey)
            add_membership(db.session, create_user(db.session, email=EMAIL, password=PASSWORD), 1, "owner")
            db.session.commit()
            journey_id = journey.id
            db.session.remove()
            db.engine.dispose()

        env = bench.worker_env()
        logs = Path(args.log_dir) if args.log_dir else bench.tmp
        logs.mkdir(parents=True, exist_ok=True)
        processes = []
        ports = [free_port() for _ in range(args.web)]
        for number, port in enumerate(ports):
            processes.append(start(["web", "--port", str(port)], env, str(logs / f"web{number}.log")))
        processes.append(start(["worker"], env, str(logs / "worker.log")))
        processes.append(start(["ticker"], env, str(logs / "ticker.log")))
        for process in processes:
            stack.callback(process.wait)
            stack.callback(process.terminate)
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        deadline = time.monotonic() + 90
        for base in bases:
            while True:
                try:
                    requests.get(f"{base}/healthz", timeout=5)
                    break
                except requests.RequestException:
                    if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                        sys.exit(f"the stack did not start; logs in {logs}")
                    time.sleep(0.2)

        signed_in = requests.post(f"{bases[0]}/api/session", json={"email": EMAIL, "password": PASSWORD}, timeout=60)
        signed_in.raise_for_status()
        cookie = f"wayfinder_session={signed_in.cookies['wayfinder_session']}"
        # Events go in the way a shop's server sends them: with an API key (track scope).
        made = requests.post(
            f"{bases[0]}/api/keys",
            json={"name": "bench", "scopes": ["track"]},
            headers={"Cookie": cookie, "X-CSRF-Token": signed_in.json()["csrf_token"]},
            timeout=60,
        )
        made.raise_for_status()
        key = made.json()["key"]

        print(
            f"Wayfinder live watchers: {args.watchers:,} watchers over {args.web} web process(es), "
            f"{args.events} events {args.interval} s apart, {db_name(bench.database_url)}; "
            f"load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        started = time.monotonic()
        pool = Pool(50)  # connect 50 at a time
        watchers: list[Watcher] = pool.map(
            lambda i: Watcher(ports[i % args.web], journey_id, cookie), range(args.watchers)
        )
        stack.callback(lambda: [w.close() for w in watchers])
        print(f"  {len(watchers):,} watchers connected and joined in {time.monotonic() - started:.1f} s", flush=True)
        readers = [gevent.spawn(w.run) for w in watchers]
        stack.callback(lambda: gevent.killall(readers, block=False))

        rest: list[float] = []
        posts: list[float] = []
        failed: list[int] = []
        sent: dict[int, float] = {}
        probing = True

        def probe() -> None:
            index = 0
            while probing:
                index += 1
                begin = time.monotonic()
                if (
                    call("GET", f"{bases[index % len(bases)]}/api/journeys/{journey_id}/counts", cookie).status_code
                    != 200
                ):
                    failed.append(index)
                rest.append(time.monotonic() - begin)
                gevent.sleep(0.1)

        prober = gevent.spawn(probe)
        for number in range(1, args.events + 1):
            event = {"event_id": f"live-{number}", "customer_id": f"watch-{number}", "name": "cart_updated"}
            begin = time.monotonic()
            response = call("POST", f"{bases[number % len(bases)]}/api/events", key=key, json=event)
            posts.append(time.monotonic() - begin)
            assert response.status_code == 202, response.text
            sent[number] = begin
            gevent.sleep(max(0.0, args.interval - (time.monotonic() - begin)))
        wait_until = time.monotonic() + 30
        while time.monotonic() < wait_until and any(w.entered < args.events for w in watchers):
            gevent.sleep(0.1)
        probing = False
        prober.join(timeout=35)

        slowest: list[float] = []
        fastest: list[float] = []
        missed = 0
        for number, at in sent.items():
            times = [w.seen.get(number) for w in watchers]
            if any(t is None for t in times):
                missed += 1
                continue
            slowest.append(max(times) - at)
            fastest.append(min(times) - at)
        closed = sum(w.closed for w in watchers)
        ms = 1000
        if slowest:
            print(
                f"  staleness of the slowest watcher: p50 {percentile(slowest, 50) * ms:.0f} ms, "
                f"p99 {percentile(slowest, 99) * ms:.0f} ms, max {max(slowest) * ms:.0f} ms "
                f"over {len(slowest)} events"
                + (f" ({missed} events not seen by every watcher in 30 s)" if missed else "")
            )
            print(
                f"  (the first watcher to see it: p50 {percentile(fastest, 50) * ms:.0f} ms, "
                f"p99 {percentile(fastest, 99) * ms:.0f} ms: the engine and publisher; the rest is the fan-out)"
            )
        else:
            print(f"  no event was seen by every watcher within 30 s ({missed} missed)")
        both = rest + posts
        print(
            f"  REST while watching: p50 {statistics.median(both) * ms:.0f} ms, p99 {percentile(both, 99) * ms:.0f} ms "
            f"({len(rest)} GET counts p99 {percentile(rest, 99) * ms:.0f} ms, "
            f"{len(posts)} POST /api/events p99 {percentile(posts, 99) * ms:.0f} ms)"
        )
        print(
            f"  GET counts not answering 200: {len(failed)}; watchers disconnected during the run: {closed}; "
            f"load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
