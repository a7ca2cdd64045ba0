"""Real-browser fixtures: a real ``archive serve`` on a free port of 127.0.0.1, and Debian's
Chromium driven by Playwright.

The server's archive holds the seed, the project's fixtures, the XSS payloads, the browser
fixtures (articles with given people and organizations, over several years) and, when
../shared is present, a SaudiNewsNet sample. Every browser context answers the pinned htmx CDN
URL with the same file from the npm package (tests/browser/node_modules, `npm ci`), refuses any
other off-machine request, and fails the test on any dialog (an XSS payload that ran), page
error or Content-Security-Policy violation.

Chromium missing: the tests fail when ARCHIVE_REQUIRE_BROWSER=1 (``make test``), else skip.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT, SAUDINEWSNET, SEEDS, make_archive, saudinewsnet_sample

BROWSER_DIR = Path(__file__).resolve().parent
NODE_MODULES = BROWSER_DIR / "node_modules"
HTMX_FILE = NODE_MODULES / "htmx.org" / "dist" / "htmx.min.js"
AXE_FILE = NODE_MODULES / "axe-core" / "axe.min.js"
BROWSER_FIXTURES = BROWSER_DIR / "fixtures"
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = os.environ.get("ARCHIVE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
]
SAMPLE_SIZE = 150  # SaudiNewsNet articles imported when ../shared is there
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _missing_browser() -> str:
    problems = []
    if not Path(CHROMIUM).exists():
        problems.append(
            f"no Chromium at {CHROMIUM} (`make browser-deps` installs Debian's"
            " chromium; ARCHIVE_CHROMIUM names another binary)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the playwright package is not installed (make setup)")
    if not HTMX_FILE.exists() or not AXE_FILE.exists():
        problems.append("tests/browser/node_modules is missing (`make browser-deps` runs npm ci)")
    return "; ".join(problems)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_required() -> None:
    problem = _missing_browser()
    if problem:
        if os.environ.get("ARCHIVE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (ARCHIVE_REQUIRE_BROWSER=1): {problem}")
        pytest.skip(problem)


# --- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running ``archive serve``."""

    base_url: str
    process: subprocess.Popen
    data_dir: Path
    log: Path
    sample: bool = False  # a SaudiNewsNet sample was imported
    htmx_local: str = ""

    def url(self, path: str = "/", **params: Any) -> str:
        query = urllib.parse.urlencode(params, doseq=True)
        return f"{self.base_url}{path}{'?' + query if query else ''}"

    def get_json(self, path: str, **params: Any) -> Any:
        with urllib.request.urlopen(self.url(path, **params), timeout=10) as response:
            return json.load(response)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def start_server(data_dir: Path, log: Path, **env: str) -> Server:
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_HTMX")}
    environ.update({"ARCHIVE_DATA": str(data_dir), "ARCHIVE_BACKEND": "sqlite", **env})
    command = [
        sys.executable,
        "-m",
        "archive",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--threads",
        "8",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(
        f"http://127.0.0.1:{port}",
        process,
        data_dir,
        log,
        htmx_local=env.get("ARCHIVE_HTMX_LOCAL", ""),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"archive serve exited ({process.returncode}):\n" + log.read_text(errors="replace")
            )
        try:
            with urllib.request.urlopen(server.url("/healthz"), timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(
        "archive serve did not answer /healthz within 30 s:\n" + log.read_text(errors="replace")
    )


@pytest.fixture(scope="session")
def browser_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bool]:
    """The archive the browser tests read, imported once (embedded engine)."""
    folder = tmp_path_factory.mktemp("browser-archive")
    paths = [
        SEEDS,
        FIXTURES / "articles.jsonl",
        FIXTURES / "xss.jsonl",
        FIXTURES / "xss_more.jsonl",
        BROWSER_FIXTURES / "browser_articles.jsonl",
    ]
    sample = SAUDINEWSNET.exists()
    if sample:
        sample_file = folder / "saudinewsnet-sample.json"
        sample_file.write_text(
            json.dumps(saudinewsnet_sample(SAMPLE_SIZE), ensure_ascii=False), encoding="utf-8"
        )
        paths.append(sample_file)
    archive = make_archive(folder / "data")
    try:
        report = archive.import_paths(paths, workers=1)
    finally:
        archive.close()
    assert report.rejected == 0, report.errors
    return folder / "data", sample


@pytest.fixture(scope="session")
def server(
    browser_required: None,
    browser_data: tuple[Path, bool],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Server]:
    data_dir, sample = browser_data
    running = start_server(data_dir, tmp_path_factory.mktemp("logs") / "serve.log")
    running.sample = sample
    yield running
    running.stop()


@pytest.fixture(scope="session")
def local_htmx_server(
    browser_required: None,
    browser_data: tuple[Path, bool],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Server]:
    """The same archive served with ARCHIVE_HTMX_LOCAL (an offline deployment)."""
    data_dir, _ = browser_data
    running = start_server(
        data_dir,
        tmp_path_factory.mktemp("logs-local") / "serve.log",
        ARCHIVE_HTMX_LOCAL=str(HTMX_FILE),
    )
    yield running
    running.stop()


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_instance(browser_required: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def chromium(playwright_instance: Any) -> Iterator[Any]:
    """Debian's Chromium. Playwright gives each launch a fresh temporary user-data dir."""
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@dataclass
class Watch:
    """What a browser context saw that a test must never see."""

    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # off-machine requests refused
    cdn_hits: int = 0
    expected_console: list[str] = field(default_factory=list)  # errors a test provokes


def htmx_url() -> str:
    """The pinned CDN URL, as config/archive.toml gives it."""
    from archive.config import load_settings

    return load_settings().htmx_url


def open_context(
    chromium: Any, server: Server, watch: Watch, *, cdn_body: bytes | None = None, **options: Any
) -> Any:
    """A browser context wired for the tests: CDN answered locally, the rest of the world
    refused, dialogs and errors recorded."""
    options.setdefault("viewport", DESKTOP)
    options.setdefault("locale", "ar-SA")
    options.setdefault("timezone_id", "Asia/Riyadh")
    options.setdefault("reduced_motion", "reduce")
    context = chromium.new_context(**options)
    context.set_default_timeout(10_000)
    cdn = htmx_url()
    body = HTMX_FILE.read_bytes() if cdn_body is None else cdn_body

    def route(route: Any) -> None:
        url = route.request.url
        if url == cdn:
            watch.cdn_hits += 1
            route.fulfill(
                status=200,
                body=body,
                headers={
                    "content-type": "text/javascript; charset=utf-8",
                    "access-control-allow-origin": "*",
                    "cache-control": "max-age=31536000",
                },
            )
        elif url.startswith(server.base_url + "/") or url == server.base_url:
            route.continue_()
        else:
            watch.blocked.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", route)
    context.add_init_script(SETTLE_COUNTER)

    def on_page(page: Any) -> None:
        def on_dialog(dialog: Any) -> None:
            watch.dialogs.append(f"{dialog.type}: {dialog.message} at {page.url}")
            dialog.dismiss()

        def on_console(message: Any) -> None:
            text = message.text
            if "Content Security Policy" in text or "Content-Security-Policy" in text:
                watch.csp_violations.append(text)
            elif message.type == "error" and "Failed to load resource" not in text:
                watch.console_errors.append(text)

        page.on("dialog", on_dialog)
        page.on("console", on_console)
        page.on("pageerror", lambda error: watch.page_errors.append(str(error)))

    context.on("page", on_page)
    return context


# Counts finished htmx swaps and history restores, so a test can wait for the one it caused.
SETTLE_COUNTER = """
window.__settled = 0;
document.addEventListener('htmx:afterSettle', () => { window.__settled += 1; });
document.addEventListener('htmx:historyRestore', () => { window.__settled += 1; });
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('Content-Security-Policy: ' + e.violatedDirective + ' refused at '
    + e.sourceFile + ':' + e.lineNumber + ' on '
    + (e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 200) : String(e.target)));
});
"""


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def context_factory(chromium: Any, server: Server, watch: Watch) -> Iterator[Callable[..., Any]]:
    """Open more contexts (javascript off, phone size...); all are checked and closed."""
    opened = []

    def factory(**options: Any) -> Any:
        target = options.pop("server", server)
        context = open_context(chromium, target, watch, **options)
        opened.append(context)
        return context

    yield factory
    for context in opened:
        context.close()
    assert not watch.dialogs, f"a script from imported data or the query ran: {watch.dialogs}"
    assert not watch.page_errors, f"page errors: {watch.page_errors}"
    assert not watch.csp_violations, f"Content-Security-Policy violations: {watch.csp_violations}"
    unexpected = [
        e for e in watch.console_errors if not any(part in e for part in watch.expected_console)
    ]
    assert not unexpected, f"console errors: {unexpected}"
    assert not watch.blocked, f"the page asked for off-machine resources: {watch.blocked}"


@pytest.fixture
def page(context_factory: Callable[..., Any]) -> Any:
    """A desktop-sized page with JavaScript on."""
    return context_factory().new_page()


# --- helpers ------------------------------------------------------------------------------------


def screenshot(page: Any, name: str, full_page: bool = False) -> Path:
    """Saved under test-artifacts/screenshots/ (kept by CI, ignored by git)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


def query_of(url: str) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)


def wait_until(
    page: Any, predicate: Callable[[], bool], message: str, timeout: float = 10.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"timed out waiting until {message} (url {page.url})")


def wait_for_query(page: Any, expected: dict[str, list[str]], timeout: float = 10.0) -> None:
    """Until the address bar holds exactly this state (and htmx has settled)."""
    wait_until(
        page, lambda: query_of(page.url) == expected, f"the URL's query is {expected}", timeout
    )
    wait_until(
        page,
        lambda: page.evaluate(
            "!document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"
        ),
        "htmx settled",
        timeout,
    )


def settled(page: Any) -> int:
    return page.evaluate("window.__settled || 0")


def history(page: Any, direction: str) -> None:
    """Back or forward, then until htmx has restored that state from the server."""
    before = settled(page)
    page.go_back() if direction == "back" else page.go_forward()
    wait_until(page, lambda: settled(page) > before, f"htmx restored the page after {direction}")


def total_shown(page: Any) -> int:
    return int(page.get_attribute("#results-heading", "data-total"))


def run_axe(page: Any, name: str) -> list[dict]:
    """axe-core on the page as it is; every result saved, serious and critical returned."""
    page.evaluate(AXE_FILE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'wcag22aa', 'best-practice']},
            resultTypes: ['violations'],
        });
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 200),
                                      summary: n.failureSummary}))}));
    }""")
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]
