"""Serving with gunicorn (threads in a few worker processes), started from the CLI."""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Any

from gunicorn.app.base import BaseApplication

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


class ArchiveServer(BaseApplication):
    def __init__(self, config: dict[str, Any], options: dict[str, Any]) -> None:
        self.archive_config = config
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):  # noqa: ANN201 - a WSGI app
        from archive.web import create_app

        return_freed_memory()  # in each worker, before it allocates anything for searches
        return create_app(self.archive_config)


def serve(config: dict[str, Any], host: str, port: int, workers: int, threads: int) -> None:
    ArchiveServer(
        config,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 60,
            "graceful_timeout": 10,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
        },
    ).run()
