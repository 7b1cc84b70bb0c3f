"""`wayfinder dev` heals itself (issue 12 §2): a worker or ticker killed with SIGKILL is started again within
seconds while the web keeps answering, and a service that keeps crashing makes the supervisor give up cleanly,
stopping everything it started, with a message that names the service.

Real processes throughout: the supervisor, gunicorn, the RQ worker, the ticker, the mail catcher and the
embedded redis-server, found through /proc as the supervisor's children."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from wayfinder.devtools.embedded_redis import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the children through /proc")


def children(pid: int) -> dict[str, int]:
    """The supervisor's live children by role: `web`, `worker`, `ticker`, `mail`, `redis`."""
    found: dict[str, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # exited meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        state, ppid = fields[0], int(fields[1])
        if ppid != pid or state == "Z":
            continue
        words = [w.decode(errors="replace") for w in argv if w]
        if "wayfinder.cli" in words:
            role = words[words.index("wayfinder.cli") + 1]
            found["mail" if role == "mailcatcher" else role] = int(entry.name)
        elif words and "redis-server" in words[0]:  # redis-server rewrites its title: "…/redis-server host:port"
            found["redis"] = int(entry.name)
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


class DevStack:
    def __init__(self, tmp_path: Path) -> None:
        self.instance = tmp_path / "instance"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(WAYFINDER_INSTANCE=str(self.instance), PYTHONUNBUFFERED="1", NO_COLOR="1")
        self.log_path = tmp_path / "dev.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "wayfinder.cli", "dev", "--no-demo", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while "Wayfinder is running at" not in self.output():
            assert self.process.poll() is None, f"wayfinder dev exited:\n{self.output()}"
            assert time.monotonic() < deadline, f"wayfinder dev did not start:\n{self.output()}"
            time.sleep(0.2)

    def roles(self) -> dict[str, int]:
        return children(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    """One stack for the tests that kill a service and see it back: each checks the stack it finds (a service
    killed by an earlier test has its replacement by then), so starting five processes per test buys nothing."""
    stack = DevStack(tmp_path_factory.mktemp("dev"))
    try:
        stack.wait_ready()
        yield stack
    finally:
        stack.stop()


@pytest.fixture
def doomed_dev(tmp_path):
    """A stack of the test's own, for a test that makes the supervisor give up (it stops everything)."""
    stack = DevStack(tmp_path)
    try:
        stack.wait_ready()
        yield stack
    finally:
        stack.stop()


def answers(base: str) -> None:
    """The web answers: the API (asking to sign in), and /healthz with any status (503 without a worker)."""
    assert requests.get(f"{base}/api/journeys", timeout=10).status_code == 401
    assert requests.get(f"{base}/healthz", timeout=10).status_code in (200, 503)


@pytest.mark.parametrize("role", ["worker", "ticker"])
def test_a_killed_service_is_back_within_5_s_while_the_web_answers(dev, role):
    before = dev.roles()
    assert {"web", "worker", "ticker", "mail", "redis"} <= before.keys(), before
    web = before["web"]
    answers(dev.base)

    os.kill(before[role], signal.SIGKILL)
    killed_at = time.monotonic()
    replacement = None
    while replacement is None:
        answers(dev.base)  # the web keeps answering throughout
        now = dev.roles().get(role)
        if now is not None and now != before[role]:
            replacement = now
        else:
            assert time.monotonic() - killed_at < 5, f"no new {role} within 5 s:\n{dev.output()}"
            time.sleep(0.1)

    assert dev.process.poll() is None
    after = dev.roles()
    assert after["web"] == web and after["redis"] == before["redis"]  # nothing else was stopped
    assert f"{role} (pid {before[role]}) exited with signal SIGKILL; restarting in" in dev.output()
    assert f"restarted {role} (pid {replacement})" in dev.output()
    answers(dev.base)


def test_a_killed_web_server_is_started_again_and_leaves_no_orphan(dev):
    # A fresh stack made the demo owner and said how to sign in; that works.
    printed = re.search(r"sign in as (\S+) with the password (\S+)", dev.output())
    assert printed, dev.output()
    signed_in = requests.post(f"{dev.base}/api/session", json={"email": printed[1], "password": printed[2]}, timeout=30)
    assert signed_in.status_code == 200 and signed_in.json()["role"] == "owner"
    before = dev.roles()
    master = before["web"]
    workers = list(children(master).values())  # gunicorn's worker: forked from the master, same command line
    assert workers, "gunicorn's worker process was not found"
    os.kill(master, signal.SIGKILL)
    killed_at = time.monotonic()
    while dev.roles().get("web") in (None, master):
        assert time.monotonic() - killed_at < 5, f"no new web process within 5 s:\n{dev.output()}"
        time.sleep(0.1)
    # Ended before the restart, not left serving and holding the port until it notices its master is gone.
    assert not any(alive(pid) for pid in workers)
    deadline = time.monotonic() + 60  # it answers once the app is loaded (seconds on a loaded machine)
    while True:
        try:
            if requests.get(f"{dev.base}/api/journeys", timeout=5).status_code == 401:  # the app answers
                break
        except requests.RequestException:  # the new server is not listening yet
            pass
        assert time.monotonic() < deadline, f"the new web process did not answer:\n{dev.output()}"
        time.sleep(0.1)
    assert dev.roles()["worker"] == before["worker"]


def test_a_service_that_keeps_crashing_makes_the_supervisor_give_up_cleanly(doomed_dev):
    dev = doomed_dev
    started = dev.roles()
    killed: set[int] = set()
    deadline = time.monotonic() + 60
    while dev.process.poll() is None:
        assert time.monotonic() < deadline, f"the supervisor did not give up:\n{dev.output()}"
        ticker = dev.roles().get("ticker")
        if ticker is not None and ticker not in killed:
            os.kill(ticker, signal.SIGKILL)  # crashes as soon as it is back
            killed.add(ticker)
        time.sleep(0.05)

    output = dev.output()
    assert dev.process.returncode == 1, output
    assert len(killed) == 5, output
    gave_up = "error: ticker exited 5 times within 60 s (last: signal SIGKILL); giving up and stopping everything"
    assert gave_up in output
    assert output.rstrip().endswith("stopped"), output
    for role, pid in started.items():  # web, worker, mail catcher and the embedded Redis were all stopped
        assert not alive(pid), f"{role} (pid {pid}) is still running:\n{output}"
