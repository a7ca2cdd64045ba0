"""Settings, read once: defaults, then ``config/archive.toml``, then the environment, then
whatever the caller passes (CLI options, ``create_app(config=...)``)."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
CONFIG_DIR = Path(os.environ.get("ARCHIVE_CONFIG", PROJECT_DIR / "config"))
TEMPLATES_DIR = Path(os.environ.get("ARCHIVE_TEMPLATES", PROJECT_DIR / "templates"))

BACKENDS = ("sqlite", "elasticsearch")


@dataclass(frozen=True)
class FacetSpec:
    """One facet as declared in config: which article field it reads and how it is shown."""

    name: str  # the URL parameter and JSON key: person, organization, year...
    field: str  # the article field it reads: persons, organizations, date, source
    kind: str  # "terms" (keyword values) or "year" (from the date)
    label_ar: str
    label_en: str
    size: int = 10  # values shown before "more"
    max_size: int = 100  # values the engine returns at most


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    backend: str = "sqlite"
    es_url: str = "http://127.0.0.1:9200"
    es_index: str = "archive"
    es_timeout: float = 5.0
    page_size: int = 20
    max_article_chars: int = 1_000_000
    snippet_words: int = 40
    facets: tuple[FacetSpec, ...] = ()
    htmx_url: str = ""
    htmx_integrity: str = ""
    htmx_local: str = ""  # serve htmx from this file instead of the CDN (offline deployments)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def store_path(self) -> Path:
        return self.data_dir / "archive.sqlite"

    def facet(self, name: str) -> FacetSpec | None:
        return next((f for f in self.facets if f.name == name), None)


_ENV = {
    "ARCHIVE_DATA": ("data_dir", Path),
    "ARCHIVE_BACKEND": ("backend", str),
    "ARCHIVE_ES_URL": ("es_url", str),
    "ARCHIVE_ES_INDEX": ("es_index", str),
    "ARCHIVE_ES_TIMEOUT": ("es_timeout", float),
    "ARCHIVE_HTMX_LOCAL": ("htmx_local", str),
    "ARCHIVE_MAX_ARTICLE_CHARS": ("max_article_chars", int),
}


def _from_file(path: Path) -> dict[str, Any]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    values: dict[str, Any] = {}
    for key in ("page_size", "max_article_chars", "snippet_words", "es_timeout"):
        if key in data.get("archive", {}):
            values[key] = data["archive"][key]
    htmx = data.get("htmx", {})
    values["htmx_url"] = htmx.get("url", "")
    values["htmx_integrity"] = htmx.get("integrity", "")
    values["facets"] = tuple(FacetSpec(**spec) for spec in data.get("facets", []))
    return values


def load_settings(
    overrides: dict[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Settings from config file, environment and explicit overrides (later wins)."""
    environ: Mapping[str, str] = os.environ if env is None else env
    values = _from_file(CONFIG_DIR / "archive.toml")
    for var, (key, cast) in _ENV.items():
        if environ.get(var):
            values[key] = cast(environ[var])
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = Path(value) if key == "data_dir" else value
    settings = replace(Settings(), **values)
    if settings.backend not in BACKENDS:
        raise ValueError(
            f"unknown backend {settings.backend!r}: choose one of {', '.join(BACKENDS)}"
        )
    return settings
