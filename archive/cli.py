"""The ``archive`` command: each subcommand parses options and calls one function of the API."""

from __future__ import annotations

import html
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from archive.api import Archive
from archive.config import BACKENDS, load_settings
from archive.ingest.pipeline import ImportReport


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=None))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the archive lives (default ./data, or ARCHIVE_DATA).",
)
@click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    help="Search engine (default sqlite, or ARCHIVE_BACKEND).",
)
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, backend: str | None) -> None:
    """An archive of Arabic news: import articles, search them, find who and what they name."""
    ctx.obj = {"data_dir": data_dir, "backend": backend}


def _archive(ctx: click.Context) -> Archive:
    try:
        archive = Archive(load_settings(ctx.obj))
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    ctx.call_on_close(archive.close)
    return archive


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--workers", type=int, default=None, help="Analysis processes (default: cores).")
@click.pass_context
def import_command(
    ctx: click.Context, paths: tuple[Path, ...], as_json: bool, workers: int | None
) -> None:
    """Import files or folders: JSON, JSONL, CSV, zip, .txt/.md, .html.

    Exit status: 0 every record stored, 1 some rejected (the rest stored), 2 usage or fatal.
    """
    archive = _archive(ctx)
    with TqdmProgress() as progress:
        report = archive.import_paths(list(paths), progress=progress, workers=workers)
    if as_json:
        _echo_json(report.to_json())
    else:
        _print_import_report(report)
    ctx.exit(1 if report.rejected else 0)


class TqdmProgress:
    """A progress bar on stderr, by bytes of input read (ETA) with the article count and rate;
    silent when stderr is not a terminal."""

    def __enter__(self) -> TqdmProgress:
        self.bar: tqdm | None = None
        self.records = 0
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()

    def start(self, total_bytes: int) -> None:
        self.bar = tqdm(
            total=total_bytes,
            unit="B",
            unit_scale=True,
            disable=None,
            file=sys.stderr,
            dynamic_ncols=True,
            desc="importing",
        )

    def advance(self, records: int, done_bytes: int, path: str) -> None:
        if self.bar is None:
            return
        self.records += records
        rate = self.records / max(time.monotonic() - self.started, 1e-6)
        self.bar.set_postfix_str(f"{self.records:,} articles, {rate:,.0f}/s", refresh=False)
        self.bar.update(done_bytes - self.bar.n)


def _reason_class(reason: str) -> str:
    """A rejection reason without its particulars, for counting by kind."""
    return re.sub(r"\d[\d,.]*", "N", re.split(r"[:(]", reason, maxsplit=1)[0]).strip()


def _print_import_report(report: ImportReport) -> None:
    rows = [
        ("imported", report.imported),
        ("updated", report.updated),
        ("unchanged", report.unchanged),
        ("rejected", report.rejected),
    ]
    click.echo("\n".join(f"{name:>10}  {count:>9,}" for name, count in rows))
    for title, items in (("rejected", report.errors), ("warnings", report.warnings)):
        kinds: dict[str, int] = {}
        for item in items:
            kinds[_reason_class(item["reason"])] = kinds.get(_reason_class(item["reason"]), 0) + 1
        for kind, count in sorted(kinds.items(), key=lambda item: -item[1]):
            click.echo(f"{title:>10}  {count:>9,}  {kind}")
    for error in report.errors[:20]:
        where = f"{error['path']}:{error['line']}" if error["line"] else error["path"]
        click.echo(f"  {where}: {error['reason']}", err=True)
    if len(report.errors) > 20:
        click.echo(f"  ... and {len(report.errors) - 20} more (--json lists all)", err=True)
    if report.not_indexed:
        click.echo(
            f"{report.not_indexed} stored articles are not in the search index yet; the"
            " next import or `archive check --repair` indexes them",
            err=True,
        )


@cli.command()
@click.argument("query", required=False, default="")
@click.option("--person", multiple=True, help="Only articles naming this person (repeatable: OR).")
@click.option("--organization", multiple=True, help="Only articles naming this organization.")
@click.option("--year", multiple=True, help="Only articles of this year (repeatable: OR).")
@click.option(
    "--filter",
    "extra",
    multiple=True,
    metavar="FACET=VALUE",
    help="Any other facet declared in config, e.g. source=okaz.",
)
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance")
@click.option("--limit", type=click.IntRange(0, 200), default=20)
@click.option("--offset", type=click.IntRange(0), default=0)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def search(
    ctx: click.Context,
    query: str,
    person: tuple[str, ...],
    organization: tuple[str, ...],
    year: tuple[str, ...],
    extra: tuple[str, ...],
    sort: str,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """Search the archive. Words are AND-ed; "a phrase"; -exclude; a OR b; prefix*."""
    filters: dict[str, list[str]] = {
        "person": list(person),
        "organization": list(organization),
        "year": list(year),
    }
    for item in extra:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not FACET=VALUE", param_hint="--filter")
        filters.setdefault(name.strip(), []).append(value.strip())
    archive = _archive(ctx)
    unknown = set(filters) - {spec.name for spec in archive.settings.facets}
    if unknown:
        raise click.BadParameter(
            f"no facet named {', '.join(sorted(unknown))}", param_hint="--filter"
        )
    result = archive.search(query, filters, sort=sort, limit=limit, offset=offset)
    if as_json:
        _echo_json(result.to_json())
        return
    click.echo(f"{result.total} articles ({result.took_ms:.0f} ms)")
    for notice in result.notices:
        click.echo(f"note: {notice}")
    if result.suggestions:
        click.echo(f"did you mean: {' | '.join(result.suggestions)}")
    for number, hit in enumerate(result.hits, start=offset + 1):
        click.echo(f"\n{number}. {hit.title}")
        click.echo(f"   {hit.date or '—'}  {hit.source}  id={hit.id}")
        text = html.unescape(re.sub(r"</?mark>", "*", hit.snippet))
        click.echo(f"   {text}")
    for name, counts in result.facets.items():
        if counts:
            values = ", ".join(f"{c.value} ({c.count})" for c in counts[:8])
            click.echo(f"\n{name}: {values}")


@cli.command()
def extract() -> None:
    """Read documents on stdin, one per line; write one JSON object per line, in order."""
    from archive.entities import extract_lines

    stdin = click.get_text_stream("stdin", encoding="utf-8")
    for result in extract_lines(line.rstrip("\n") for line in stdin):
        click.echo(json.dumps(result, ensure_ascii=False))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="Server processes.")
@click.option("--threads", default=4, show_default=True, type=int, help="Threads per process.")
@click.option("--debug", is_flag=True, help="Flask's reloader and debugger (development only).")
@click.pass_context
def serve(
    ctx: click.Context, host: str, port: int, workers: int, threads: int, debug: bool
) -> None:
    """Serve the search page and the JSON API (gunicorn)."""
    load_settings(ctx.obj)  # fail fast on bad settings, before forking workers
    click.echo(f"serving the archive at http://{host}:{port}/", err=True)
    if debug:
        from archive.web import create_app

        create_app(ctx.obj).run(host=host, port=port, debug=True, threaded=True)
        return
    from archive.web.serve import serve as run_server

    run_server(ctx.obj, host, port, workers, threads)


@cli.command()
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the search index from the store (after editing aliases or facets)."""
    archive = _archive(ctx)
    with tqdm(
        total=archive.store.count(),
        unit=" articles",
        disable=None,
        file=sys.stderr,
        desc="reindexing",
    ) as bar:
        report = archive.reindex(on_batch=bar.update)
    click.echo(f"indexed {report.indexed} articles into {archive.backend.name}")
    for article_id, reason in report.errors[:20]:
        click.echo(f"  not indexed {article_id}: {reason}", err=True)
    ctx.exit(1 if report.errors else 0)


@cli.command()
@click.option("--repair", is_flag=True, help="Index what is missing or stale, drop orphans.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def check(ctx: click.Context, repair: bool, as_json: bool) -> None:
    """Verify that the search index holds exactly the store's articles."""
    report = _archive(ctx).check(repair=repair)
    if as_json:
        _echo_json(report.to_json())
    else:
        state = "consistent" if report.consistent else "NOT consistent"
        click.echo(f"store {report.in_store} articles, index {report.in_index}: {state}")
        click.echo(
            f"  missing {len(report.missing)}, stale {len(report.stale)},"
            f" orphaned {len(report.orphaned)}" + ("; repaired" if report.repaired else "")
        )
    ctx.exit(0 if report.consistent or report.repaired else 1)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts and sizes."""
    data = _archive(ctx).stats()
    if as_json:
        _echo_json(data)
        return
    for key, value in data.items():
        click.echo(f"{key}: {value}")


@cli.command()
@click.option("--kind", type=click.Choice(["person", "organization"]))
@click.option("--limit", type=int, default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def entities(ctx: click.Context, kind: str | None, limit: int, as_json: bool) -> None:
    """The most named persons and organizations, by number of articles."""
    rows = _archive(ctx).entities(kind, limit)
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        spellings = f"  (also: {', '.join(row['spellings'][:5])})" if row["spellings"] else ""
        click.echo(f"{row['articles']:>7}  {row['kind']:<12}  {row['name']}{spellings}")


def main() -> None:
    """Entry point: usage and fatal errors exit with status 2, as the contract says."""
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(2)
    except Exception as error:  # noqa: BLE001 - a fatal error: say what, not a traceback
        click.echo(f"error: {type(error).__name__}: {error}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
