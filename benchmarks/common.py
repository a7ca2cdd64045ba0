"""What every sub-benchmark shares: paths, the corpus, statistics, machine load, results."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import json
import math
import os
import platform
import resource
import sqlite3
import statistics
import sys
import threading
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "benchmarks"
RESULTS_DIR = BENCH_DIR / "results"
SHARED = Path(os.environ.get("ARCHIVE_SHARED", ROOT.parent / "shared"))
SAUDINEWSNET = SHARED / "datasets" / "saudinewsnet"
QUERIES_FILE = BENCH_DIR / "queries.json"
PYTHON = sys.executable


def cache_dir() -> Path:
    """Benchmark archives and generated corpora: outside the repository, kept between runs."""
    base = os.environ.get("ARCHIVE_BENCH_CACHE")
    if base:
        path = Path(base)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(xdg) / "arabic-archive" / "bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def archive_command(data_dir: Path, backend: str, *args: str) -> list[str]:
    """The product's CLI (``python -m archive``) on an archive folder and engine."""
    return [PYTHON, "-m", "archive", "--data", str(data_dir), "--backend", backend, *args]


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# --- the corpus ----------------------------------------------------------------------------------


def corpus_files(folder: Path) -> list[Path]:
    """SaudiNewsNet zips (or a generated corpus's .jsonl parts), in name order."""
    files = sorted([*folder.glob("*.zip"), *folder.glob("*.jsonl")])
    if not files:
        raise FileNotFoundError(f"no .zip or .jsonl files in {folder}")
    return files


def iter_raw(files: Iterable[Path]) -> Iterator[dict[str, Any]]:
    """The raw records, as the files hold them (zips of JSON arrays, or JSON Lines)."""
    for path in files:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in sorted(archive.namelist()):
                    data = json.loads(archive.read(name))
                    yield from data
        else:
            with path.open(encoding="utf-8") as lines:
                for line in lines:
                    if line.strip():
                        yield json.loads(line)


def load_raw(files: Iterable[Path], limit: int | None = None) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for record in iter_raw(files):
        records.append(record)
        if limit and len(records) >= limit:
            break
    return records


def write_subset_zip(records: Sequence[dict[str, Any]], path: Path) -> Path:
    """The first N articles in the corpus's own format (a zip of one JSON array), so that a
    ``--limit`` run reads through the same code path as the full one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(path.stem + ".json", json.dumps(list(records), ensure_ascii=False))
    return path


@dataclass(frozen=True)
class Corpus:
    """The input of a run: files to import, how many articles they hold, and a key naming it."""

    files: tuple[Path, ...]
    articles: int
    key: str  # names the cached archive built from it: saudinewsnet-all, saudinewsnet-3000...

    def describe(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "articles": self.articles,
            "files": len(self.files),
            "bytes": sum(f.stat().st_size for f in self.files),
        }


def saudinewsnet_corpus(folder: Path, limit: int | None, work: Path) -> Corpus:
    files = corpus_files(folder)
    if limit:
        records = load_raw(files, limit)
        subset = write_subset_zip(records, work / f"saudinewsnet-first-{len(records)}.zip")
        return Corpus((subset,), len(records), f"saudinewsnet-{len(records)}")
    count = sum(1 for _ in iter_raw(files))
    return Corpus(tuple(files), count, "saudinewsnet-all")


# --- statistics ----------------------------------------------------------------------------------


def summarize(samples: Iterable[float]) -> dict[str, float]:
    """Percentiles by linear interpolation between closest ranks (numpy's default)."""
    values = sorted(samples)
    if not values:
        return {"n": 0}
    cuts = (
        statistics.quantiles(values, n=100, method="inclusive")
        if len(values) > 1
        else [float(values[0])] * 99
    )
    return {
        "n": len(values),
        "p50": round(cuts[49], 3),
        "p95": round(cuts[94], 3),
        "p99": round(cuts[98], 3),
        "max": round(values[-1], 3),
        "mean": round(sum(values) / len(values), 3),
    }


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else math.nan


# --- the machine ---------------------------------------------------------------------------------


def _cpu_busy_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0, 0
    ticks = [int(v) for v in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
    return sum(ticks) - idle, sum(ticks)


class LoadMonitor:
    """Samples the 1-minute load average and the machine's CPU use while a benchmark runs, so
    each figure says how busy the machine was (other engineers' jobs share it)."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> LoadMonitor:
        self.started = time.time()
        self.load_before = os.getloadavg()
        self.cpu_before = _cpu_busy_ticks()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.samples.append(os.getloadavg()[0])

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self.load_after = os.getloadavg()
        self.cpu_after = _cpu_busy_ticks()
        self.finished = time.time()

    def report(self) -> dict[str, Any]:
        busy = self.cpu_after[0] - self.cpu_before[0]
        total = self.cpu_after[1] - self.cpu_before[1]
        samples = self.samples or [self.load_after[0]]
        return {
            "loadavg_before": [round(v, 2) for v in self.load_before],
            "loadavg_after": [round(v, 2) for v in self.load_after],
            "loadavg1_mean": round(sum(samples) / len(samples), 2),
            "loadavg1_max": round(max(samples), 2),
            "machine_cpu_busy": round(busy / total, 3) if total else None,
            "seconds": round(self.finished - self.started, 2),
        }


def cpu_seconds() -> float:
    """User + system CPU of this process and its waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def host_info() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kib = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem_kib = int(Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1])
    return {
        "cores": cores(),
        "cpu": model,
        "memory_gib": round(mem_kib / 2**20, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "compiled_entities": compiled_entities(),
    }


def compiled_entities() -> bool:
    """Whether the entity modules run compiled (``archive.entities.native``)."""
    import archive.entities

    return archive.entities.NATIVE


def code_root() -> Path:
    """The folder holding the ``archive`` package being measured (the tree, or the run's
    snapshot of it), found without importing it."""
    spec = importlib.util.find_spec("archive")
    if spec is None or spec.origin is None:
        return ROOT
    return Path(spec.origin).resolve().parents[1]


def code_fingerprint() -> str:
    """Changes when anything that shapes an index changes: the product's code, its config and
    its entity model. A cached benchmark archive is reused only while this is the same."""
    root = code_root()
    digest = hashlib.sha256()
    paths = [
        *sorted((root / "archive").rglob("*.py")),
        *sorted((root / "config").rglob("*")),
        *sorted((root / "archive" / "entities" / "model").glob("*")),
    ]
    for path in paths:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def dir_bytes(path: Path, pattern: str = "*") -> int:
    return sum(p.stat().st_size for p in path.glob(pattern) if p.is_file())


# --- processes -----------------------------------------------------------------------------------


def proc_memory(pid: int) -> dict[str, int]:
    """VmRSS, VmHWM, RssAnon, RssFile (kB, from /proc/PID/status) and Pss (smaps_rollup)."""
    found: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile", "RssShmem"):
                found[key] = int(value.split()[0])
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                found["Pss"] = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return found


def children(pid: int) -> list[int]:
    """Direct children of a process (from /proc/*/stat)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        parent = int(text.rsplit(")", 1)[1].split()[1])
        if parent == pid:
            found.append(int(stat.parent.name))
    return found


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live children (from /proc/PID/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for process in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)
    return total / ticks


def tree_memory(pid: int) -> dict[str, Any]:
    """Memory of a process and its children, summed (RSS double-counts shared pages; PSS
    splits them), in MB."""
    pids = [pid, *children(pid)]
    per = {p: proc_memory(p) for p in pids}
    total: dict[str, Any] = {"processes": len(pids)}
    for key in ("VmRSS", "VmHWM", "RssAnon", "RssFile", "Pss"):
        total[f"{key}_mb"] = round(sum(m.get(key, 0) for m in per.values()) / 1024, 1)
    total["per_process_rss_mb"] = [round(m.get("VmRSS", 0) / 1024, 1) for m in per.values()]
    return total


# --- results -------------------------------------------------------------------------------------


@dataclass
class RunContext:
    """One invocation of the harness: its timestamp, options, and where results go."""

    timestamp: str
    args: dict[str, Any]
    results_dir: Path = RESULTS_DIR
    written: list[Path] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)

    def envelope(self, name: str, payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "benchmark": name,
            "timestamp": self.timestamp,
            "host": host_info(),
            "code": code_fingerprint(),
            "args": self.args,
            "results": payload,
        }

    def save(self, name: str, payload: dict[str, Any]) -> Path:
        self.results_dir.mkdir(parents=True, exist_ok=True)
        path = self.results_dir / f"{name}-{self.timestamp}.json"
        write_json(path, self.envelope(name, payload))
        self.written.append(path)
        self.sections[name] = payload
        return path

    def save_latest(self) -> Path:
        path = self.results_dir / "latest.json"
        write_json(
            path,
            {
                "timestamp": self.timestamp,
                "host": host_info(),
                "code": code_fingerprint(),
                "args": self.args,
                "files": [p.name for p in self.written],
                "results": self.sections,
            },
        )
        return path


def write_json(path: Path, data: Any) -> None:
    """Atomically (a .tmp beside it, then a rename)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A plain text table, right-aligned numbers."""
    text_rows = [[_cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in text_rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    out = io.StringIO()
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in text_rows:
        cells = [
            c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(row, widths, strict=True)
        ]
        out.write("  ".join(cells).rstrip() + "\n")
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _numeric(cell: str) -> bool:
    return (
        bool(cell)
        and cell.replace(",", "")
        .replace(".", "")
        .replace("-", "")
        .replace("x", "")
        .replace("%", "")
        .isdigit()
    )


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
