"""Serving with gunicorn (threads in a few worker processes), started from the CLI."""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


# glibc's mallopt parameters
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
MMAP_THRESHOLD = 4 << 20  # bytes


def return_freed_memory() -> None:
    """Make glibc hand large freed blocks back to the system. By default it raises its mmap
    threshold after each large free (up to 32 MB), so a search's temporaries (masks, match
    lists, facet rows: megabytes at 300k articles) are later carved from the heap and stay
    resident once freed: +65 MB per worker after the benchmark's queries at 300k. A fixed
    4 MB threshold and two arenas (not eight per core for four threads) keep that memory
    returned for a few percent of CPU (page faults on fresh blocks). No-op without glibc."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        libc.mallopt(_M_ARENA_MAX, 2)
    except (OSError, AttributeError):
        pass


CONFIG_VARIABLE = "ARCHIVE_SERVE_CONFIG"  # the CLI's settings, to the workers


def worker_app() -> Flask:
    """The WSGI app of one gunicorn worker (gunicorn calls this in each worker)."""
    from archive.web import create_app

    return_freed_memory()  # before the worker allocates anything for searches
    return create_app(json.loads(os.environ.get(CONFIG_VARIABLE) or "{}"))


def serve(config: dict[str, Any], host: str, port: int, workers: int, threads: int) -> None:
    """Replace this process with gunicorn's master in a fresh interpreter: workers are
    forks of the master and hold whatever it imported, and the CLI calling this has loaded
    the whole archive (numpy, the importers, dateparser: ~20 MB) that a master never uses.
    gunicorn's own command line loads the app in the workers only."""
    settings = {k: str(v) if isinstance(v, Path) else v for k, v in config.items()}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        f"--bind={host}:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--worker-class=gthread",
        "--timeout=60",
        "--graceful-timeout=10",
        "--error-logfile=-",
        "--log-level=warning",
        "archive.web.serve:worker_app()",
    ]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, command, {**os.environ, CONFIG_VARIABLE: json.dumps(settings)})
