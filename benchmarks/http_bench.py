"""HTTP latency and load: ``archive serve`` (gunicorn, as shipped) on a free port, driven from
a second process (``benchmarks.loadgen``) on 127.0.0.1.

Figures: sequential p50/p95 over the query list on the JSON API and on the HTML page, then
8 concurrent clients for a bounded time (latency, throughput, errors), and the server's
memory (RSS summed over the gunicorn master and workers, with PSS, which splits shared pages).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.common import PYTHON, ROOT, archive_command, log, tree_cpu_seconds, tree_memory


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(
    data_dir: Path,
    backend: str,
    es_index: str | None = None,
    workers: int | None = None,
    threads: int | None = None,
    startup_timeout: float = 120.0,
) -> Iterator[tuple[str, int]]:
    """A running ``archive serve``: yields (base URL, master pid); stopped on exit (SIGTERM to
    the process it started, SIGKILL after 20 s)."""
    port = free_port()
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    if es_index:
        env["ARCHIVE_ES_INDEX"] = es_index
    command = archive_command(
        data_dir, backend, "serve", "--host", "127.0.0.1", "--port", str(port)
    )
    if workers:
        command += ["--workers", str(workers)]
    if threads:
        command += ["--threads", str(threads)]
    log_path = data_dir.parent / f"serve-{backend}-{port}.log"
    with log_path.open("w") as server_log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"archive serve exited ({process.returncode}); see {log_path}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"archive serve not healthy after {startup_timeout} s")
            time.sleep(0.3)
        yield url, process.pid
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def drive(url: str, *options: str) -> dict[str, Any]:
    """Run the load driver in its own process; its JSON report."""
    done = subprocess.run(
        [PYTHON, "-m", "benchmarks.loadgen", "--url", url, *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"load driver failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measured(url: str, pid: int, *options: str) -> dict[str, Any]:
    """One driver run, with the server's CPU time per request (master + workers): unlike
    latency, it hardly depends on how busy the rest of the machine is."""
    cpu = tree_cpu_seconds(pid)
    result = drive(url, *options)
    used = tree_cpu_seconds(pid) - cpu
    result["server_cpu_ms_per_request"] = round(1000 * used / max(result["requests"], 1), 2)
    return result


def sequential(path: str, reps: int) -> tuple[str, ...]:
    """Load driver options: the query list ``reps`` times, one request at a time."""
    return ("--path", path, "--mode", "sequential", "--reps", str(reps), "--no-warmup")


def concurrent(clients: int, duration: float) -> tuple[str, ...]:
    """Load driver options: ``clients`` concurrent clients on /api/search for ``duration`` s."""
    return (
        "--path",
        "/api/search",
        "--mode",
        "concurrent",
        "--clients",
        str(clients),
        "--duration",
        str(duration),
    )


def run_http(
    data_dir: Path,
    backend: str,
    es_index: str | None,
    reps: int,
    clients: int,
    duration: float,
    html_reps: int = 1,
    warmup: float = 5.0,
) -> dict[str, Any]:
    """Cold first request, an unrecorded concurrent warm-up (every worker process loads what
    it caches), then the recorded runs, all without a warm-up of their own."""
    with server(data_dir, backend, es_index) as (url, pid):
        memory_started = tree_memory(pid)
        first = drive(url, *sequential("/api/search", 1), "--limit", "1")
        log(f"http[{backend}]: warm-up, {clients} clients for {warmup:g} s (not recorded)")
        warm = drive(url, *concurrent(clients, warmup))
        memory_warm = tree_memory(pid)
        log(f"http[{backend}]: sequential /api/search x{reps}")
        api = measured(url, pid, *sequential("/api/search", reps))
        log(f"http[{backend}]: sequential / (HTML) x{html_reps}")
        page = measured(url, pid, *sequential("/", html_reps))
        log(f"http[{backend}]: {clients} concurrent clients for {duration:g} s")
        load = measured(url, pid, *concurrent(clients, duration))
        memory_loaded = tree_memory(pid)
    return {
        "backend": backend,
        "first_request_ms": first["latency_ms"].get("max"),
        "warmup": {
            "requests": warm["requests"],
            "latency_ms": warm["latency_ms"],
            "errors": warm["errors"],
        },
        "sequential_api": api,
        "sequential_html": page,
        "concurrent_api": load,
        "memory": {
            "started": memory_started,
            "after_warmup": memory_warm,
            "after_load": memory_loaded,
        },
    }
