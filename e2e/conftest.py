"""e2e fixtures: the whole stack (`wayfinder dev`: web + worker + ticker + embedded Redis + mail catcher) on a
fresh SQLite instance, real Chromium through pytest-playwright, data seeded and cleaned through the API."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from auth import DEMO_PASSWORD, signed_in_session
from pages.viewports import SIZES

from wayfinder.devtools import shards
from wayfinder.devtools.embedded_redis import free_port

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # e2e helpers use the provider emulators of tests/emulators
    sys.path.insert(0, str(ROOT))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


#: Seconds each file took (2026-12-04, the whole e2e/ in one process): only for splitting e2e/ into shards of
#: about equal length. A file not listed counts E2E_DEFAULT_SECONDS per test; a stale figure only makes the
#: shards less even, never leaves a test out.
E2E_SECONDS = {
    "test_accessibility.py": 58,
    "test_canvas_readability.py": 55,
    "test_screenshots.py": 43,
    "test_api_hang.py": 40,
    "test_flow_screenshots.py": 28,
    "test_flow_steps.py": 28,
    "test_live_numbers.py": 27,
    "test_no_lost_work.py": 24,
    "test_validation.py": 23,
    "test_build_journey.py": 23,
    "test_no_cut_text.py": 20,
    "test_canvas_ergonomics.py": 19,
    "test_timezone_picker.py": 14,
    "test_sign_in.py": 11,
    "test_security_and_health.py": 10,
    "test_gallery.py": 22,
    "test_channels_journey.py": 20,
    "test_channel_screenshots.py": 20,
    "test_message_log.py": 15,
    "test_message_log_at_scale.py": 12,
}
E2E_DEFAULT_SECONDS = 4


def e2e_shards(files: dict[str, int], count: int) -> list[set[str]]:
    """Files (name → number of tests) dealt into `count` shards of about equal expected time."""
    return shards.deal(
        {name: E2E_SECONDS.get(name, E2E_DEFAULT_SECONDS * tests) for name, tests in files.items()}, count
    )


def pytest_collection_modifyitems(config, items):
    """WAYFINDER_E2E_SHARD=i/n keeps the files of shard i of n (whole files, so a module's fixtures stay in one
    process). backend/bin/test runs e2e/ as two such processes, each with its own `wayfinder dev` stack and
    browser: the suite mostly waits (on the browser, the stack, its own bounded waits), so two halves side by
    side take about half the time on 2 cores. Unset, every test runs."""
    spec = os.environ.get("WAYFINDER_E2E_SHARD")
    if not spec:
        return
    try:
        index, count = shards.parse(spec)
    except ValueError:
        raise pytest.UsageError(f"WAYFINDER_E2E_SHARD={spec!r}: expected i/n with 1 <= i <= n") from None
    files: dict[str, int] = {}
    for item in items:
        files[item.path.name] = files.get(item.path.name, 0) + 1
    mine = e2e_shards(files, count)[index - 1]
    keep = [item for item in items if item.path.name in mine]
    drop = [item for item in items if item.path.name not in mine]
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """When a test fails, add what a person would look at first to its report: the page's address and the text
    of its alerts (an error the app showed), and the end of the dev stack's log (the requests the server answered,
    a traceback). CI keeps only the printed output, so this is what tells a flaky failure from a real one."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    page = item.funcargs.get("page")
    if page is None and isinstance(item.funcargs.get("sized_page"), tuple):
        page = item.funcargs["sized_page"][0]
    if page is not None:
        try:
            alerts = page.locator("[role=alert]").all_inner_texts()
            report.sections.append(("page at failure", f"url: {page.url}\nalerts: {alerts!r}"))
        except Exception as error:  # noqa: BLE001 - the page may be closed or broken; the report must still print
            report.sections.append(("page at failure", f"unreadable: {error}"))
    log = os.environ.get("WAYFINDER_E2E_INSTANCE")
    if log:
        path = Path(log) / "server.log"
        if path.exists():
            tail = path.read_text(errors="replace").splitlines()[-60:]
            report.sections.append(("server log (last 60 lines)", "\n".join(tail)))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (Playwright cannot download its own browser here)."""
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def http(server):
    """The demo owner's session, signed in once for the whole run (seeding through the API uses it)."""
    return signed_in_session(server)


@pytest.fixture(scope="session")
def storage_state(http):
    """Every browser context starts with the run's session cookie (as the xyflow and Superset Playwright suites
    reuse a storage state), so no test signs in through the page unless it tests signing in."""
    cookies = [
        {
            "name": c.name,
            "value": c.value,
            "domain": "127.0.0.1",
            "path": c.path or "/",
            "httpOnly": True,
            "secure": False,
            "sameSite": "Lax",
            "expires": c.expires or -1,
        }
        for c in http.cookies
    ]
    return {"cookies": cookies, "origins": []}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, storage_state):
    return {
        **browser_context_args,
        "viewport": {"width": 1440, "height": 900},
        "locale": "en-US",
        "storage_state": storage_state,
    }


@pytest.fixture(scope="session")
def instance(tmp_path_factory) -> Path:
    """The dev stack's instance folder (its SQLite database, secret key, mail catcher)."""
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def server(instance):
    """Start the real dev stack on a free port and stop every process it started at the end."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(WAYFINDER_INSTANCE=str(instance), PYTHONUNBUFFERED="1", WAYFINDER_DEMO_PASSWORD=DEMO_PASSWORD)
    # One signed-in user seeds every test's data as fast as the server answers; the API's per-user limit is
    # tested in tests/integration (test_api_keys), not here.
    env.setdefault("API_USER_RATE_LIMIT", "10000 per second")
    env["SMS_ALLOW_PRIVATE"] = "1"  # the message-log tests' Every8d account points at an emulator on 127.0.0.1
    os.environ["WAYFINDER_E2E_INSTANCE"] = str(instance)  # read by the failure report (pytest_runtest_makereport)
    log = open(instance / "server.log", "w")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen(
        [sys.executable, "-m", "wayfinder.cli", "dev", "--no-demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"wayfinder dev exited with {proc.returncode}:\n{(instance / 'server.log').read_text()}")
        try:
            if requests.get(f"{base_url}/api/session", timeout=2).status_code == 401:  # up, and asks to sign in
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"server did not start:\n{(instance / 'server.log').read_text()}")
        time.sleep(0.3)
    yield base_url
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


@pytest.fixture(scope="session")
def base_url(server):
    """pytest-playwright's base_url: relative page.goto() calls go to the test server."""
    return server


class Api:
    """The HTTP API, for seeding data and for sending events as a shop would."""

    def __init__(self, base_url: str, http: requests.Session) -> None:
        self.base_url = base_url
        self.created: list[int] = []
        self.http = http

    def post(self, path: str, json: dict | None = None) -> dict:
        response = self.http.post(f"{self.base_url}{path}", json=json or {}, timeout=10)
        response.raise_for_status()
        return response.json() if response.content else {}

    def get(self, path: str) -> dict:
        response = self.http.get(f"{self.base_url}{path}", timeout=10)
        response.raise_for_status()
        return response.json()

    def create_journey(self, name: str, graph: dict | None = None) -> dict:
        journey = self.post("/api/journeys", {"name": name, **({"graph": graph} if graph else {})})
        self.created.append(journey["id"])
        return journey

    def publish_journey(self, name: str, graph: dict) -> dict:
        """A journey made with `graph` and published (deleted after the test); the journey as created."""
        journey = self.create_journey(name, graph)
        self.post(f"/api/journeys/{journey['id']}/publish")
        return journey

    @contextmanager
    def channel_account(self, **fields) -> Iterator[dict]:
        """A provider account made for the `with` block and deleted after it, also when the block fails: while it
        exists its channel goes through it instead of the sandbox, which other tests must not meet."""
        account = self.post("/api/channel-accounts", fields)
        try:
            yield account
        finally:
            self.http.delete(f"{self.base_url}/api/channel-accounts/{account['id']}", timeout=10)

    def cleanup(self) -> None:
        for journey_id in self.created:
            self.http.delete(f"{self.base_url}/api/journeys/{journey_id}", timeout=10)


@pytest.fixture
def api(server, http):
    client = Api(server, http)
    yield client
    client.cleanup()


@pytest.fixture
def sized_page(browser, base_url, storage_state, request):
    """(page, size, language): a signed-in page of its own context at one of SIZES, the UI in that language."""
    size, language = request.param
    context = browser.new_context(base_url=base_url, viewport=SIZES[size], locale="en-US", storage_state=storage_state)
    context.add_init_script(f"localStorage.setItem('wayfinder.lang', '{language}')")
    page = context.new_page()
    yield page, size, language
    context.close()


@pytest.fixture(scope="session")
def cli(instance):
    """cli(*args, stdin=""): a `wayfinder` command run against the running stack's database, as an operator would."""

    def run(*args: str, stdin: str = "") -> str:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env["WAYFINDER_INSTANCE"] = str(instance)
        command = [sys.executable, "-m", "wayfinder.cli", *args]
        return subprocess.run(
            command, input=stdin, text=True, env=env, cwd=ROOT, check=True, capture_output=True
        ).stdout

    return run


@pytest.fixture(scope="session")
def make_user(cli):
    """make_user(email, role, password, name=None): a member of the default workspace made with `wayfinder
    create-user`; for tests that change an account or need another role (the shared demo owner must stay as the
    other tests expect it)."""

    def make(email: str, role: str, password: str, name: str | None = None) -> None:
        named = ("--name", name) if name else ()
        cli("create-user", "--email", email, *named, "--role", role, "--password-stdin", stdin=password)

    return make


@pytest.fixture(scope="session")
def fast_forward(instance):
    """fast_forward(journey_id, node_id) -> how many woke: the customers waiting at that step have waited long
    enough now (their wake-up time is moved into the past in the dev stack's database), and the running ticker
    wakes them as it would an hour later. The dev stack runs on the real clock (no virtual one to move), and a
    journey built as a marketer would (wait 1 hour, 24 hours for an open) cannot be waited out in a browser test."""

    def run(journey_id: int, node_id: str) -> int:
        with sqlite3.connect(instance / "wayfinder.sqlite", timeout=30) as db:
            woke = db.execute(
                "UPDATE enrollments SET wake_at = '2000-01-01 00:00:00.000000'"
                " WHERE journey_id = ? AND current_node = ? AND status = 'waiting'",
                (journey_id, node_id),
            ).rowcount
        return woke

    return run
