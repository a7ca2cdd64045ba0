"""Serving with gunicorn (threads in a few worker processes), started from the CLI."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


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
