"""Timing helpers shared by ``bench.run`` and ``bench.load``.

Percentiles, a ``vanban serve`` subprocess on 127.0.0.1 (started, probed,
measured from /proc and stopped by its own pid), and a bounded pool of HTTP
clients. Only loopback URLs are ever requested.
"""

from __future__ import annotations

import logging
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")
READY_TIMEOUT_S = 120.0  # the server opens the index and the graph before it answers
REQUEST_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by the nearest-rank method; 0.0 for no values.

    >>> percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50), percentile([1.0, 2.0], 95)
    (3.0, 2.0)
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/mean in milliseconds and the count of ``seconds``."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "mean_ms": round(sum(ms) / len(ms), 2) if ms else 0.0,
    }


def timed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    """(seconds, result) of one call ``fn(*args, **kwargs)``."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def check_loopback(url: str) -> str:
    """``url`` unchanged if it points at this machine's loopback, else ValueError.

    >>> check_loopback("http://127.0.0.1:8000/search.json")
    'http://127.0.0.1:8000/search.json'
    """
    host = urllib.parse.urlsplit(url).hostname or ""
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"only 127.0.0.1 targets are allowed, got {host!r} in {url}")
    return url


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_get(url: str, timeout: float = REQUEST_TIMEOUT_S) -> tuple[int, int, float]:
    """(status, body bytes, seconds) of one GET; network errors give status 0."""
    check_loopback(url)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback only)
            size = len(response.read())
            status = int(response.status)
    except urllib.error.HTTPError as err:
        size, status = len(err.read() or b""), int(err.code)
    except (OSError, urllib.error.URLError) as err:
        log.debug("GET %s failed: %s", url, err)
        size, status = 0, 0
    return status, size, time.perf_counter() - start


def proc_memory_mb(pid: int) -> dict[str, float]:
    """Resident set size now (VmRSS) and at its peak (VmHWM) of ``pid``, in MB."""
    out: dict[str, float] = {}
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            out[name.lower() + "_mb"] = round(int(value.split()[0]) / 1024, 1)
    return out


@dataclass
class Server:
    """A running ``vanban serve`` started by :func:`serve`."""

    url: str
    process: subprocess.Popen[bytes] | None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def memory(self) -> dict[str, float]:
        return proc_memory_mb(self.process.pid) if self.process else {}


@contextmanager
def serve(
    index_dir: Path, corpus_dir: Path, *, threads: int | None = None, log_path: Path | None = None
) -> Iterator[Server]:
    """Start ``vanban serve`` on a free 127.0.0.1 port; stop it (by its pid) on exit."""
    port = free_port()
    cmd = [
        sys.executable,
        "-c",
        "import sys; from indexer.cli import main; sys.exit(main(sys.argv[1:]))",
        "-q",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--index",
        str(index_dir),
        "--corpus",
        str(corpus_dir),
    ]
    if threads:
        cmd += ["--threads", str(threads)]
    sink = log_path.open("wb") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(cmd, stdout=sink, stderr=sink)  # noqa: S603 (our own CLI)
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        _wait_ready(server)
        yield server
    finally:
        _stop(process)
        if log_path and not isinstance(sink, int):
            sink.close()


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    probe = f"{server.url}/search.json?q=gi%C3%A1o+d%E1%BB%A5c"
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            raise RuntimeError(f"vanban serve exited with status {server.process.returncode}")
        status, _, _ = http_get(probe, timeout=5)
        if status == 200:
            return
        time.sleep(0.25)
    raise TimeoutError(f"vanban serve did not answer within {READY_TIMEOUT_S:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT_S)


@dataclass(frozen=True)
class Sample:
    """One HTTP request made by a client."""

    label: str
    status: int
    size: int
    seconds: float


def run_clients(
    requests: Sequence[tuple[str, str]],
    clients: int,
    *,
    seconds: float | None = None,
    cycle: bool = False,
    max_requests: int = 1_000_000,
) -> tuple[list[Sample], float]:
    """Send ``(label, url)`` requests from ``clients`` threads; (samples, wall seconds).

    Without ``cycle`` each request is sent once. With ``cycle`` the list repeats
    until ``seconds`` pass or ``max_requests`` were sent, whichever is first.
    """
    for _, url in requests:
        check_loopback(url)
    lock = threading.Lock()
    samples: list[Sample] = []
    position = 0
    start = time.monotonic()
    deadline = start + seconds if seconds else math.inf

    def next_request() -> tuple[str, str] | None:
        nonlocal position
        with lock:
            if position >= max_requests or time.monotonic() >= deadline:
                return None
            if position >= len(requests) and not cycle:
                return None
            item = requests[position % len(requests)]
            position += 1
            return item

    def client() -> None:
        while (item := next_request()) is not None:
            status, size, took = http_get(item[1])
            with lock:
                samples.append(Sample(item[0], status, size, took))

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, time.monotonic() - start
