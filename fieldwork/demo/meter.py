"""Where the seed's time goes: for each step, its wall time and the CPU seconds of this process, of the
generator's child process and of the PostgreSQL backend with its parallel workers.

On a shared machine wall time says little (other work takes turns on the same cores); the CPU seconds
say what the seed itself costs. The backend's are read from /proc, so only when PostgreSQL runs on
this machine and /proc is readable (else None); its parallel workers (index builds, parallel scans)
are separate processes, found by their title ("parallel worker for PID n") and sampled while they
run by a thread that reads /proc twice a second during the steps that may start them, so a worker's
last half second may be missed.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _ticks(pid: int) -> int | None:
    """utime + stime of a process, in clock ticks (None: gone or not readable)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5), after pid and (comm)
    except (OSError, IndexError, ValueError):
        return None


@dataclass
class Step:
    wall: float = 0.0
    own: float = 0.0  # CPU seconds of this process (the COPY feeder, Django, the reader thread)
    child: float | None = None  # CPU seconds of the generator's child process, where there is one
    backend: float | None = None  # CPU seconds of the PostgreSQL backend and its parallel workers


class Meter:
    """Steps timed by `with meter.step(name):`; `meter.steps` keeps them in order, repeated names added."""

    def __init__(self, backend_pid: int | None = None) -> None:
        self.backend_pid = backend_pid if backend_pid and _ticks(backend_pid) is not None else None
        self.steps: dict[str, Step] = {}
        self._workers: dict[int, int] = {}  # parallel worker pid: the most ticks seen
        self._stop = threading.Event()
        self._parallel = 0  # steps under way that may start parallel workers: only then is /proc read
        self._sampler: threading.Thread | None = None
        if self.backend_pid is not None:
            self._title = f"parallel worker for PID {self.backend_pid}".encode()
            self._sampler = threading.Thread(target=self._sample, name="seed_demo meter", daemon=True)
            self._sampler.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            if self._parallel:
                self.sample_workers()

    def sample_workers(self) -> None:
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            pid = int(name)
            if pid in self._workers:
                ticks = _ticks(pid)
                if ticks is not None and ticks > self._workers[pid]:
                    self._workers[pid] = ticks
                continue
            with contextlib.suppress(OSError):
                with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                    if self._title not in cmdline.read():
                        continue
                self._workers[pid] = _ticks(pid) or 0

    def backend_seconds(self) -> float | None:
        if self.backend_pid is None:
            return None
        ticks = _ticks(self.backend_pid) or 0
        return (ticks + sum(self._workers.values())) / TICKS

    @contextlib.contextmanager
    def step(self, name: str, *, parallel: bool = False):
        """Time a step; `parallel`: the backend may start parallel workers in it (index builds,
        queries), whose CPU is then sampled (reading /proc costs a little CPU of its own)."""
        wall, own, backend = time.monotonic(), time.process_time(), self.backend_seconds()
        self._parallel += parallel
        try:
            yield
        finally:
            self._parallel -= parallel
            if backend is not None and parallel:
                self.sample_workers()
            step = self.steps.setdefault(name, Step())
            step.wall += time.monotonic() - wall
            step.own += time.process_time() - own
            after = self.backend_seconds()
            if backend is not None and after is not None:
                step.backend = (step.backend or 0.0) + after - backend

    def add_child(self, name: str, seconds: float) -> None:
        step = self.steps.setdefault(name, Step())
        step.child = (step.child or 0.0) + seconds

    @property
    def workers_seen(self) -> int:
        """How many parallel workers of the backend the meter has seen."""
        return len(self._workers)

    def close(self) -> None:
        self._stop.set()
        if self._sampler is not None:
            self._sampler.join()
