"""The HTTP load driver: a second process that replays the query list against a running server.

    python -m benchmarks.loadgen --url http://127.0.0.1:8000 --path /api/search \
        --mode sequential --reps 3
    python -m benchmarks.loadgen --url http://127.0.0.1:8000 --path /api/search \
        --mode concurrent --clients 8 --duration 20

Standard library only (threads, one keep-alive ``http.client`` connection per client), so it
needs nothing the product does not. Prints one JSON object: latency percentiles (ms),
throughput, status counts and errors. A request is an error when it raises or does not answer
200 with a body.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from benchmarks.common import QUERIES_FILE, summarize
from benchmarks.querying import load_queries


class Client:
    """One keep-alive connection; reconnects after an error."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def get(self, target: str) -> tuple[int, int]:
        """(status, body bytes); raises on transport errors."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self.conn.request("GET", target, headers={"Accept-Encoding": "identity"})
            response = self.conn.getresponse()
            body = response.read()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, len(body)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: dict[str, int] = {}
        self.errors: list[str] = []
        self.bytes = 0

    def record(self, client: Client, target: str) -> None:
        started = time.perf_counter()
        try:
            status, size = client.get(target)
            error = None if status == 200 and size else f"HTTP {status} ({size} bytes)"
        except Exception as exc:  # noqa: BLE001 - every failure is counted; none stops the run
            status, size, error = 0, 0, f"{type(exc).__name__}: {exc}"
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.latencies.append(elapsed)
            self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
            self.bytes += size
            if error:
                self.errors.append(error)

    def report(self, seconds: float) -> dict[str, Any]:
        return {
            "requests": len(self.latencies),
            "seconds": round(seconds, 2),
            "throughput_rps": round(len(self.latencies) / seconds, 2) if seconds else None,
            "latency_ms": summarize(self.latencies),
            "statuses": self.statuses,
            "errors": len(self.errors),
            "error_examples": sorted(set(self.errors))[:5],
            "mean_response_kb": round(self.bytes / max(len(self.latencies), 1) / 1024, 1),
        }


def targets(path: str, query_file: Path) -> list[str]:
    return [
        f"{path}?{urlencode(q.params())}" if q.params() else path for q in load_queries(query_file)
    ]


def sequential(
    host: str, port: int, paths: Sequence[str], reps: int, warmup: bool, seed: int, timeout: float
) -> dict[str, Any]:
    client = Client(host, port, timeout)
    if warmup:
        for target in paths:
            Recorder().record(client, target)
    recorder = Recorder()
    order = list(paths)
    rng = random.Random(seed)
    started = time.perf_counter()
    for _ in range(reps):
        rng.shuffle(order)
        for target in order:
            recorder.record(client, target)
    seconds = time.perf_counter() - started
    client.close()
    return recorder.report(seconds)


def concurrent(
    host: str, port: int, paths: Sequence[str], clients: int, duration: float, timeout: float
) -> dict[str, Any]:
    recorder = Recorder()
    start_gate = threading.Barrier(clients + 1)
    deadline = 0.0

    def work(number: int) -> None:
        client = Client(host, port, timeout)
        position = number * len(paths) // clients
        start_gate.wait()
        while time.perf_counter() < deadline:
            recorder.record(client, paths[position % len(paths)])
            position += 1
        client.close()

    threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    deadline = started + duration
    start_gate.wait()
    for thread in threads:
        thread.join(duration + timeout + 5)
    result = recorder.report(time.perf_counter() - started)
    result["clients"] = clients
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="replay the query list over HTTP")
    parser.add_argument("--url", required=True, help="http://host:port")
    parser.add_argument("--path", default="/api/search")
    parser.add_argument("--queries", type=Path, default=QUERIES_FILE)
    parser.add_argument("--mode", choices=["sequential", "concurrent"], default="sequential")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-warmup", action="store_true")
    parser.add_argument("--limit", type=int, help="only the first N queries of the list")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    parts = urlsplit(args.url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    paths = targets(args.path, args.queries)
    if args.limit:
        paths = paths[: args.limit]
    if args.mode == "sequential":
        result = sequential(
            host, port, paths, args.reps, not args.no_warmup, args.seed, args.timeout
        )
    else:
        result = concurrent(host, port, paths, args.clients, args.duration, args.timeout)
    result.update({"mode": args.mode, "path": args.path, "queries": len(paths)})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
