"""The render watchdog: interrupts template renders that overrun their time budget."""

from __future__ import annotations

import _thread
import ctypes
import os
import sys
import time
from collections.abc import Callable
from typing import Any


class RenderTimeout(BaseException):
    """Raised asynchronously in a render that ran out of time (BaseException: no `except Exception` eats it)."""


def _native_threads() -> tuple[Callable[[], Any], Callable[..., int], Callable[[], int]]:
    """`_thread`'s allocate_lock, start_new_thread and get_ident as the OS provides them.

    Under gevent's monkey-patching (the web server's gevent worker) the patched ones are greenlets: a watchdog
    greenlet never runs while a CPU-bound render holds the hub, and a greenlet id names no OS thread for
    PyThreadState_SetAsyncExc. The originals give a real thread that interrupts the render in the OS thread
    running it; a render does no I/O, so it never yields to another greenlet of that thread between `arm` and
    `disarm`.
    """
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("_thread"):
        return tuple(monkey.get_original("_thread", ["allocate_lock", "start_new_thread", "get_ident"]))  # type: ignore[return-value]
    return _thread.allocate_lock, _thread.start_new_thread, _thread.get_ident


class Watchdog:
    """Interrupts renders that overrun their deadline, in whichever thread they run.

    One daemon thread per process sleeps until the earliest deadline and raises `RenderTimeout` in the
    late thread (CPython's PyThreadState_SetAsyncExc: delivered between bytecodes, so it stops Jinja's
    loops; no single bytecode runs long because the big operations are refused before they run). Built on
    native `_thread` primitives, so it also works in a gevent-patched process (see `_native_threads`).
    """

    def __init__(self) -> None:
        self._deadlines: dict[int, float] = {}
        self._fired: set[int] = set()
        self._pid = 0  # the process whose watchdog thread runs (a fork has none)
        self._wakes_at = 0.0  # when the watchdog thread wakes next (monotonic)
        self._lock: Any = None
        self._wake: Any = None  # held while the watchdog sleeps; released to wake it early

    def _ensure_thread(self) -> None:
        if self._pid == os.getpid():
            return
        allocate_lock, start_new_thread, _ = _native_threads()
        self._lock = allocate_lock()
        self._wake = allocate_lock()
        self._wake.acquire()
        self._pid = os.getpid()
        start_new_thread(self._run, ())

    def arm(self, seconds: float) -> None:
        self._ensure_thread()
        ident = _native_threads()[2]()
        with self._lock:
            # An interrupt that landed inside the last `disarm` was handled there; forget it.
            self._fired.discard(ident)
            deadline = time.monotonic() + seconds
            self._deadlines[ident] = deadline
            wake = deadline < self._wakes_at
        if wake:
            # It sleeps past this deadline: wake it to wait for this one. Otherwise it wakes in time on its
            # own (it never sleeps longer than WATCHDOG_POLL), so the common case (renders one after another,
            # two per email) does not wake a thread per render.
            try:
                self._wake.release()
            except RuntimeError:  # already woken
                pass

    def disarm(self) -> bool:
        """Stop watching this thread; True when its deadline had passed (any undelivered interrupt is dropped)."""
        ident = _native_threads()[2]()
        with self._lock:
            self._deadlines.pop(ident, None)
            if ident not in self._fired:
                return False
            self._fired.discard(ident)
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None)
            return True

    def _run(self) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                for ident, deadline in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[ident]
                        self._fired.add(ident)
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(
                            ctypes.c_ulong(ident), ctypes.py_object(RenderTimeout)
                        )
                self._wakes_at = min(self._deadlines.values(), default=now + WATCHDOG_POLL)
                sleep = max(0.0, min(self._wakes_at - now, WATCHDOG_POLL))
            self._wake.acquire(timeout=sleep)


#: How often the idle watchdog looks for new deadlines: a render may overrun its budget by at most this much.
WATCHDOG_POLL = 0.25
watchdog = Watchdog()
