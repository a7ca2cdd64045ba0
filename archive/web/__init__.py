"""The web edge: a Flask app factory; views live in blueprints, logic in the archive API."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from jinja2 import pass_context

from archive.api import Archive
from archive.config import TEMPLATES_DIR, load_settings
from archive.web.i18n import (
    LANGUAGE_COOKIE,
    SEARCH_TIPS,
    direction,
    format_number,
    hijri_date,
    language,
    long_date,
    translate,
    translate_count,
)

CDN_ORIGIN = "https://unpkg.com"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides settings (data_dir, backend, ...)."""
    settings = load_settings(config)
    app = Flask(__name__, template_folder=str(TEMPLATES_DIR), static_folder="static")
    app.config["ARCHIVE_SETTINGS"] = settings
    app.extensions["archive"] = Archive(settings, serving=True)
    app.json.ensure_ascii = False  # Arabic as UTF-8, not \uXXXX: a third of the bytes
    app.json.sort_keys = False
    _add_template_helpers(app)
    app.jinja_env.globals["htmx"] = _htmx_script(
        settings.htmx_url, settings.htmx_integrity, settings.htmx_local
    )

    from archive.web.views import blueprint

    app.register_blueprint(blueprint)

    @app.after_request
    def security_headers(response: Response) -> Response:
        # Only the app itself, plus the one pinned htmx file when it comes from the CDN: no
        # inline script or style, no eval (htmx runs with allowEval false), no plugins.
        script = "'self'" if settings.htmx_local else f"'self' {settings.htmx_url}"
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src {script}; style-src 'self'; img-src 'self' data:;"
            " font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none';"
            " base-uri 'none'; object-src 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        )
        return response

    return app


def _add_template_helpers(app: Flask) -> None:
    """``t``/``tn`` and the date and number filters, in the reader's interface language."""

    @app.context_processor
    def interface_language() -> dict[str, Any]:
        lang = language(request.cookies.get(LANGUAGE_COOKIE))

        def t(key: str, **values: object) -> str:
            return translate(key, lang, **values)

        def tn(key: str, n: int) -> str:
            return translate_count(key, n, lang)

        return {
            "lang": lang,
            "dir": direction(lang),
            "t": t,
            "tn": tn,
            "search_tips": SEARCH_TIPS[lang],
        }

    @pass_context
    def long_date_filter(context: Any, iso: str | None, weekday: bool = False) -> str:
        return long_date(iso, context.get("lang", "ar"), weekday)

    @pass_context
    def hijri_filter(context: Any, iso: str | None) -> str:
        return hijri_date(iso, context.get("lang", "ar"))

    app.jinja_env.filters["long_date"] = long_date_filter
    app.jinja_env.filters["hijri"] = hijri_filter
    app.jinja_env.filters["num"] = format_number


def _htmx_script(url: str, integrity: str, local: str) -> dict[str, str]:
    """Where the page loads htmx from: the pinned CDN file, or a local copy (offline sites)."""
    if local:
        digest = hashlib.sha384(Path(local).read_bytes()).digest()
        return {
            "src": "/vendor/htmx.min.js",
            "integrity": "sha384-" + base64.b64encode(digest).decode(),
            "local": local,
        }
    return {"src": url, "integrity": integrity, "local": ""}
