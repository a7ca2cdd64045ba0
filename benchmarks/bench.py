"""The benchmark harness: import rate, query latency, HTTP load, Elasticsearch, scale.

    python -m benchmarks.bench                 # the standard set (what `make bench` runs)
    python -m benchmarks.bench --import --limit 3000 --runs 3
    python -m benchmarks.bench --query --http --backend both
    python -m benchmarks.bench --es-import
    python -m benchmarks.bench --profile --profile-articles 3000
    python -m benchmarks.bench --scale                 # 31k, 100k, 300k (long; `make bench-scale`)

With no sub-benchmark flag it runs the standard set: import, query and http on the embedded
engine, plus es-import and the Elasticsearch query and http runs when a node answers at
ARCHIVE_ES_URL. Every sub-benchmark writes ``benchmarks/results/<name>-<timestamp>.json``; the
whole run also goes to ``benchmarks/results/latest.json``. Figures are medians over runs;
ratios compare measurements of the same run, and every section records the machine's load.
SaudiNewsNet is read from ../shared (ARCHIVE_SHARED); archives and generated corpora live in
the cache folder (ARCHIVE_BENCH_CACHE, default ~/.cache/arabic-archive/bench).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.common import (
    PYTHON,
    RESULTS_DIR,
    ROOT,
    SAUDINEWSNET,
    Corpus,
    LoadMonitor,
    RunContext,
    cache_dir,
    code_fingerprint,
    code_root,
    compiled_entities,
    cores,
    log,
    median,
    saudinewsnet_corpus,
    table,
    write_json,
)
from benchmarks.engines import bench_index_name, drop_es, es_available, open_archive
from benchmarks.importing import run_step
from benchmarks.querying import cli_latency, load_queries, run_queries

# The targets (2 cores): what the tables compare each figure against.
TARGETS = {
    "import_rate": 1000.0,  # articles/s, embedded engine, full SaudiNewsNet
    "query_p50_ms": 10.0,
    "query_p95_ms": 40.0,  # in-process, embedded
    "http_sequential_p95_ms": 50.0,
    "http_concurrent_p95_ms": 100.0,
    "serve_rss_mb": 300.0,  # embedded, at 300k articles
}


class Harness:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.timestamp = time.strftime("%Y%m%dT%H%M%S")
        self.ctx = RunContext(
            self.timestamp,
            {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            results_dir=args.results,
        )
        self.work = cache_dir() / "runs" / self.timestamp
        self.work.mkdir(parents=True, exist_ok=True)
        self.queries = load_queries(args.queries)
        self.corpus: Corpus | None = None
        self.sqlite_dir: Path | None = None  # the archive queries run against
        self.es_dir: Path | None = None
        self.es_alias: str | None = None
        self.aliases_to_drop: list[str] = []
        self.summary: list[str] = []

    # --- inputs -----------------------------------------------------------------------------------

    def get_corpus(self) -> Corpus:
        if self.corpus is None:
            log(
                f"corpus: {self.args.data}"
                + (f" (first {self.args.limit})" if self.args.limit else "")
            )
            self.corpus = saudinewsnet_corpus(self.args.data, self.args.limit, self.work)
        return self.corpus

    def slot(self, corpus: Corpus) -> Path:
        return cache_dir() / f"archive-{corpus.key}"

    def promote(self, data_dir: Path, corpus: Corpus) -> Path:
        """Keep a freshly imported archive as the cached one for later query/http runs."""
        slot = self.slot(corpus)
        if slot.exists():
            shutil.rmtree(slot)
        slot.mkdir(parents=True)
        shutil.move(str(data_dir), slot / "data")
        write_json(
            slot / "meta.json",
            {"code": code_fingerprint(), "corpus": corpus.describe(), "built": self.timestamp},
        )
        return slot / "data"

    def sqlite_archive(self) -> Path:
        """The embedded archive of the corpus: this run's import, else the cached one when the
        code that built it is unchanged (or --reuse), else an import now (untimed)."""
        if self.sqlite_dir:
            return self.sqlite_dir
        corpus = self.get_corpus()
        slot = self.slot(corpus)
        meta_path = slot / "meta.json"
        if meta_path.exists():
            meta = json.loads(meta_path.read_text())
            if meta.get("code") == code_fingerprint() or self.args.reuse:
                log(f"using the cached archive {slot} (built {meta.get('built')})")
                self.sqlite_dir = slot / "data"
                return self.sqlite_dir
            log("the cached archive was built by other code: importing again")
        log(f"importing {corpus.articles:,} articles for the query benchmarks (not timed here)")
        data_dir = self.work / "query-archive"
        run_step(
            "product",
            list(corpus.files),
            data_dir=data_dir,
            backend="sqlite",
            workers=self.args.workers,
        )
        self.sqlite_dir = self.promote(data_dir, corpus)
        return self.sqlite_dir

    def es_archive(self) -> tuple[Path, str]:
        """An Elasticsearch index of the corpus: this run's es-import, else a reindex of the
        embedded archive's store into a fresh index (timed and reported)."""
        if self.es_alias and self.es_dir:
            return self.es_dir, self.es_alias
        data_dir = self.sqlite_archive()
        alias = bench_index_name("bench-query")
        self.aliases_to_drop.append(alias)
        log(f"building an Elasticsearch index {alias} from the stored articles (reindex)")
        archive = open_archive(data_dir, "elasticsearch", alias)
        started = time.perf_counter()
        report = archive.reindex()
        seconds = time.perf_counter() - started
        archive.close()
        self.ctx.sections.setdefault(
            "es_reindex",
            {"seconds": seconds, "articles": report.indexed, "rate": report.indexed / seconds},
        )
        self.es_dir, self.es_alias = data_dir, alias
        return data_dir, alias

    def backends(self) -> list[str]:
        wanted = self.args.backend
        if wanted == "sqlite":
            return ["sqlite"]
        if wanted == "elasticsearch":
            return ["elasticsearch"]
        if wanted == "both":
            return ["sqlite", "elasticsearch"]
        return ["sqlite", "elasticsearch"] if self.es_ok else ["sqlite"]

    def archives(self) -> Iterator[tuple[str, Path, str | None]]:
        """(backend, data folder, Elasticsearch alias) of each engine to measure, each archive
        built (or found) only when the loop reaches it."""
        for backend in self.backends():
            if backend == "elasticsearch":
                if self.es_ok:
                    yield backend, *self.es_archive()
            else:
                yield backend, self.sqlite_archive(), None

    @property
    def es_ok(self) -> bool:
        if not hasattr(self, "_es_ok"):
            self._es_ok = es_available()
            if not self._es_ok:
                log(
                    "no Elasticsearch node answers at ARCHIVE_ES_URL: Elasticsearch parts are"
                    " skipped (start one with `make es-up` or scripts/es-node.sh up)"
                )
        return self._es_ok

    # --- sub-benchmarks ---------------------------------------------------------------------------

    def bench_import(self) -> None:
        corpus = self.get_corpus()
        files = list(corpus.files)
        runs: dict[str, list[dict[str, Any]]] = {
            "read": [],
            "fts5": [],
            "records": [],
            "noextract": [],
            "product": [],
        }
        last_dir: Path | None = None
        with LoadMonitor() as load:
            for run in range(self.args.runs):
                log(f"import run {run + 1}/{self.args.runs}: floors")
                runs["read"].append(run_step("read", files))
                runs["fts5"].append(run_step("fts5", files, db=self.work / "floor-fts5.sqlite"))
                runs["records"].append(run_step("records", files))
                log(f"import run {run + 1}/{self.args.runs}: product import without extraction")
                runs["noextract"].append(
                    run_step(
                        "noextract",
                        files,
                        data_dir=self.work / f"noextract-{run}" / "data",
                        backend="sqlite",
                        workers=self.args.workers,
                    )
                )
                shutil.rmtree(self.work / f"noextract-{run}", ignore_errors=True)
                data_dir = self.work / f"import-{run}" / "data"
                log(
                    f"import run {run + 1}/{self.args.runs}: product import of"
                    f" {corpus.articles:,} articles, workers={self.args.workers}"
                )
                runs["product"].append(
                    run_step(
                        "product",
                        files,
                        data_dir=data_dir,
                        backend="sqlite",
                        workers=self.args.workers,
                    )
                )
                log(f"  {runs['product'][-1]['rate']:.0f} articles/s")
                if last_dir is not None:
                    shutil.rmtree(last_dir.parent, ignore_errors=True)
                last_dir = data_dir
        assert last_dir is not None
        self.sqlite_dir = self.promote(last_dir, corpus)
        result = summarize_import(runs, corpus, self.args.workers)
        result["load"] = load.report()
        self.ctx.save("import", result)
        rows = [
            [
                step,
                r["seconds"],
                r["rate"],
                r.get("x_floor"),
                r.get("cpu_util"),
                r.get("cpu_ms_per_article"),
                r.get("parent_cpu_ms_per_article"),
                r.get("workers_cpu_ms_per_article"),
                r.get("peak_rss_mb"),
            ]
            for step, r in result["steps"].items()
        ]
        self.emit(
            f"import: {corpus.articles:,} articles, median of {self.args.runs} run(s),"
            f" load {fmt_load(result['load'])}",
            table(
                [
                    "step",
                    "seconds",
                    "articles/s",
                    "product x",
                    "cpu/wall",
                    "cpu ms/art",
                    "parent",
                    "workers",
                    "peak MB",
                ],
                rows,
            )
            + f"product import: {result['rate']:.0f} articles/s (target"
            f" >= {TARGETS['import_rate']:.0f});"
            f" {result['ratios']['product_vs_fts5']:.1f}x the bare FTS5 pipeline's time,"
            f" {result['ratios']['product_vs_read']:.1f}x reading alone;"
            f" without entity extraction {result['steps']['noextract']['rate']:.0f} articles/s;"
            f" entity modules {'compiled' if compiled_entities() else 'interpreted'}\n",
        )

    def bench_es_import(self) -> None:
        if not self.es_ok:
            return
        corpus = self.get_corpus()
        files = list(corpus.files)
        raw_runs: list[dict[str, Any]] = []
        product_runs: list[dict[str, Any]] = []
        with LoadMonitor() as load:
            for run in range(self.args.runs):
                log(f"es-import run {run + 1}/{self.args.runs}: raw streaming_bulk")
                raw_runs.append(run_step("es-raw", files, es_index=bench_index_name("bench-raw")))
                alias = bench_index_name("bench-import")
                self.aliases_to_drop.append(alias)
                data_dir = self.work / f"es-import-{run}" / "data"
                log(f"es-import run {run + 1}/{self.args.runs}: product import into {alias}")
                product_runs.append(
                    run_step(
                        "product",
                        files,
                        data_dir=data_dir,
                        backend="elasticsearch",
                        workers=self.args.workers,
                        es_index=alias,
                    )
                )
                log(f"  {product_runs[-1]['rate']:.0f} articles/s")
                if self.es_alias:  # keep only the last index, for the query benchmarks
                    drop_es(self.es_alias)
                self.es_dir, self.es_alias = data_dir, alias
        raw_s = median([r["seconds"] for r in raw_runs])
        product_s = median([r["seconds"] for r in product_runs])
        result = {
            "corpus": corpus.describe(),
            "runs": self.args.runs,
            "workers": self.args.workers,
            "raw_bulk": {
                "seconds": raw_s,
                "rate": corpus.articles / raw_s,
                "es_bytes": median([r["es_bytes"] for r in raw_runs]),
                "runs": raw_runs,
            },
            "product": {
                "seconds": product_s,
                "rate": corpus.articles / product_s,
                "es_bytes": median([r["es_bytes"] for r in product_runs]),
                "store_bytes": median([r["store_bytes"] for r in product_runs]),
                "cpu_util": median(
                    [r["process_cpu_seconds"] / r["process_seconds"] for r in product_runs]
                ),
                "runs": product_runs,
            },
            "ratio_product_vs_raw": product_s / raw_s,
            "load": load.report(),
        }
        self.ctx.save("es-import", result)
        rows = [
            [
                "raw streaming_bulk",
                raw_s,
                corpus.articles / raw_s,
                result["raw_bulk"]["es_bytes"] / 2**20,
            ],
            [
                "product import",
                product_s,
                corpus.articles / product_s,
                result["product"]["es_bytes"] / 2**20,
            ],
        ]
        self.emit(
            f"es-import: {corpus.articles:,} articles, load {fmt_load(result['load'])}",
            table(["step", "seconds", "articles/s", "index MB"], rows)
            + f"product / raw bulk time: {result['ratio_product_vs_raw']:.1f}x\n",
        )

    def bench_query(self) -> None:
        result: dict[str, Any] = {"queries_file": str(self.args.queries), "backends": {}}
        with LoadMonitor() as load:
            for backend, data_dir, alias in self.archives():
                archive = open_archive(data_dir, backend, alias)
                try:
                    articles = archive.store.count()
                    log(
                        f"query[{backend}]: {len(self.queries)} queries x{self.args.reps}"
                        f" on {articles:,} articles"
                    )
                    latency = run_queries(archive, self.queries, self.args.reps)
                finally:
                    archive.close()
                env = {**os.environ, **({"ARCHIVE_ES_INDEX": alias} if alias else {})}
                latency["cli"] = cli_latency(data_dir, self.queries, backend, env)
                latency["articles"] = articles
                result["backends"][backend] = latency
        result["load"] = load.report()
        if "es_reindex" in self.ctx.sections:
            result["es_reindex"] = self.ctx.sections["es_reindex"]
        self.ctx.save("query", result)
        for backend, latency in result["backends"].items():
            cpu = latency["by_class_cpu"]
            rows = [
                [cls, s["n"], s["p50"], s["p95"], s["max"], cpu[cls]["p50"], cpu[cls]["p95"]]
                for cls, s in latency["by_class"].items()
            ]
            overall, overall_cpu = latency["overall"], latency["overall_cpu"]
            rows.append(
                [
                    "ALL",
                    overall["n"],
                    overall["p50"],
                    overall["p95"],
                    overall["max"],
                    overall_cpu["p50"],
                    overall_cpu["p95"],
                ]
            )
            rest = latency.get("overall_without_typo", {})
            if rest.get("n"):
                rows.append(
                    ["ALL but typo", rest["n"], rest["p50"], rest["p95"], rest["max"], None, None]
                )
            slow = "; ".join(f"{q['q']} {q['p50']:.1f} ms" for q in latency["slowest"][:5])
            zero = ", ".join(latency["zero_hits"]) or "none"
            self.emit(
                f"query [{backend}]: in-process, {latency['articles']:,} articles,"
                f" {latency['queries']} queries x{latency['reps']}, load"
                f" {fmt_load(result['load'])}",
                table(
                    ["class", "samples", "p50 ms", "p95 ms", "max ms", "cpu p50", "cpu p95"], rows
                )
                + f"targets (embedded): p50 <= {TARGETS['query_p50_ms']:g},"
                f" p95 <= {TARGETS['query_p95_ms']:g} ms\n"
                + f"slowest (p50): {slow}\nqueries with no hit: {zero}\n"
                + f"CLI `archive search --json` (process start-up included):"
                f" p50 {latency['cli'].get('p50', float('nan')):.0f} ms\n",
            )

    def bench_http(self) -> None:
        from benchmarks.http_bench import run_http

        result: dict[str, Any] = {"backends": {}}
        with LoadMonitor() as load:
            for backend, data_dir, alias in self.archives():
                result["backends"][backend] = run_http(
                    data_dir,
                    backend,
                    alias,
                    reps=self.args.http_reps,
                    clients=self.args.clients,
                    duration=self.args.http_duration,
                )
        result["load"] = load.report()
        self.ctx.save("http", result)
        rows = []
        for backend, data in result["backends"].items():
            for label, key in (
                ("sequential /api/search", "sequential_api"),
                ("sequential / (HTML)", "sequential_html"),
                (f"{self.args.clients} clients /api/search", "concurrent_api"),
            ):
                run = data[key]
                lat = run["latency_ms"]
                rows.append(
                    [
                        backend,
                        label,
                        run["requests"],
                        lat["p50"],
                        lat["p95"],
                        lat["max"],
                        run["throughput_rps"],
                        run["errors"],
                        run.get("server_cpu_ms_per_request"),
                    ]
                )
        memory = "; ".join(
            f"{b}: RSS {d['memory']['after_load']['VmRSS_mb']:.0f} MB (anon"
            f" {d['memory']['after_load']['RssAnon_mb']:.0f}, file"
            f" {d['memory']['after_load']['RssFile_mb']:.0f}), PSS"
            f" {d['memory']['after_load']['Pss_mb']:.0f} MB over"
            f" {d['memory']['after_load']['processes']} processes; first request"
            f" {d['first_request_ms']:.0f} ms, warm-up max"
            f" {d['warmup']['latency_ms']['max']:.0f} ms"
            for b, d in result["backends"].items()
        )
        self.emit(
            f"http: load driven from a second process, load {fmt_load(result['load'])}",
            table(
                [
                    "engine",
                    "run",
                    "requests",
                    "p50 ms",
                    "p95 ms",
                    "max ms",
                    "req/s",
                    "errors",
                    "server cpu ms/req",
                ],
                rows,
            )
            + f"targets: sequential p95 <= {TARGETS['http_sequential_p95_ms']:g} ms,"
            f" {self.args.clients} clients p95 <= {TARGETS['http_concurrent_p95_ms']:g}"
            " ms, zero errors\n" + f"serving memory after the load: {memory}\n",
        )

    def bench_profile(self) -> None:
        out = self.ctx.results_dir
        out.mkdir(parents=True, exist_ok=True)
        result: dict[str, Any] = {"import": [], "queries": []}
        with LoadMonitor() as load:
            profilers = ["cprofile"]
            if importlib.util.find_spec("pyinstrument"):
                profilers.append("pyinstrument")
            else:
                log("pyinstrument is not installed: cProfile only (pip install pyinstrument)")
            for workers in sorted({1, self.args.workers}):
                for profiler in profilers:
                    log(
                        f"profile: import of {self.args.profile_articles} articles,"
                        f" workers={workers}, {profiler}"
                    )
                    result["import"].append(
                        run_profiler(
                            "import",
                            "--articles",
                            str(self.args.profile_articles),
                            "--workers",
                            str(workers),
                            "--profiler",
                            profiler,
                            "--out",
                            str(out),
                            "--tag",
                            self.timestamp,
                        )
                    )
            for backend, data_dir, alias in self.archives():
                log(f"profile: slowest queries on {backend}")
                options = [
                    "queries",
                    "--data-dir",
                    str(data_dir),
                    "--backend",
                    backend,
                    "--out",
                    str(out),
                    "--tag",
                    self.timestamp,
                ]
                if alias:
                    options += ["--es-index", alias]
                result["queries"].append(run_profiler(*options))
        result["load"] = load.report()
        self.ctx.save("profile", result)
        lines = []
        for run in result["import"]:
            lines.append(
                f"workers={run['workers']} {run['profiler']}: {run['articles']} articles"
                f" in {run['seconds']:.1f} s ({run['rate']:.0f}/s under the profiler);"
                f" report {run['report']}"
            )
            if run.get("stages"):
                lines.append(
                    table(
                        ["stage", "seconds", "calls"],
                        [[s["stage"], s["seconds"], s["calls"]] for s in run["stages"]],
                    )
                )
        for run in result["queries"]:
            lines.append(
                f"slowest queries on {run['backend']} (ms per search under cProfile;"
                f" report {run['report']}):"
            )
            for item in run["per_query"]:
                stages = ", ".join(
                    f"{k.strip()} {v}" for k, v in item["stages_ms_per_search"].items()
                )
                lines.append(f"  {item['q']}: {stages}")
        self.emit(f"profile: load {fmt_load(result['load'])}", "\n".join(lines) + "\n")

    def bench_scale(self) -> None:
        from benchmarks.scale import run_scale, scale_table

        backends = [b for b in self.backends() if b == "sqlite" or self.es_ok]
        sizes = [int(s) for s in self.args.scale_sizes.split(",") if s.strip()]
        with LoadMonitor() as load:
            result = run_scale(
                sizes,
                backends,
                self.queries,
                self.args.workers,
                self.args.scale_reps,
                self.work,
                self.args.seed,
                http=not self.args.no_scale_http,
                http_duration=self.args.scale_http_duration,
                clients=self.args.clients,
                keep_es=self.args.keep_es,
            )
        result["load"] = load.report()
        self.ctx.save("scale", result)
        growth = []
        for backend, data in result["backends"].items():
            for row in data["growth"]:
                growth.append(
                    [
                        backend,
                        row["size"],
                        row["size_x"],
                        row["import_rate_x"],
                        row["store_bytes_x"],
                        row.get("es_bytes_x"),
                        row["bytes_per_article"],
                        row["query_p50_x"],
                        row["query_p95_x"],
                    ]
                )
        self.emit(
            f"scale: load {fmt_load(result['load'])}",
            scale_table(result)
            + "\ngrowth against the first size:\n"
            + table(
                [
                    "engine",
                    "articles",
                    "size x",
                    "import rate x",
                    "sqlite store x",
                    "es index x",
                    "sqlite bytes/article",
                    "q p50 x",
                    "q p95 x",
                ],
                growth,
            ),
        )

    # --- output -----------------------------------------------------------------------------------

    def emit(self, title: str, body: str) -> None:
        text = f"\n== {title}\n{body}"
        print(text, flush=True)
        self.summary.append(text)

    def cleanup(self) -> None:
        if self.args.keep_es:
            if self.aliases_to_drop:
                log(f"keeping Elasticsearch indices: {', '.join(self.aliases_to_drop)}")
            return
        for alias in self.aliases_to_drop:
            try:
                drop_es(alias)
            except Exception as error:  # noqa: BLE001 - cleanup goes on
                log(f"could not delete Elasticsearch index {alias}: {error}")
        shutil.rmtree(self.work, ignore_errors=True)


def run_profiler(*options: str) -> dict[str, Any]:
    import subprocess

    done = subprocess.run(
        [PYTHON, "-m", "benchmarks.profiling", *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    if done.returncode != 0:
        raise RuntimeError(f"profiling failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def summarize_import(
    runs: dict[str, list[dict[str, Any]]], corpus: Corpus, workers: int
) -> dict[str, Any]:
    steps: dict[str, dict[str, Any]] = {}
    for step, results in runs.items():
        seconds = median([r["seconds"] for r in results])
        steps[step] = {
            "seconds": seconds,
            "rate": corpus.articles / seconds,
            "cpu_util": median([r["process_cpu_seconds"] / r["process_seconds"] for r in results]),
            "cpu_ms_per_article": 1000
            * median([r["process_cpu_seconds"] for r in results])
            / corpus.articles,
            "peak_rss_mb": max(
                max(r.get("peak_rss_mb", 0), r.get("peak_worker_rss_mb", 0)) for r in results
            ),
            "runs": results,
        }
        if "parent_cpu_seconds" in results[0]:
            for part in ("parent", "workers"):
                steps[step][f"{part}_cpu_ms_per_article"] = (
                    1000 * median([r[f"{part}_cpu_seconds"] for r in results]) / corpus.articles
                )
    product = steps["product"]["seconds"]
    for data in steps.values():
        data["x_floor"] = product / data["seconds"]
    if "insert_seconds" in runs["fts5"][0]:
        steps["fts5"]["insert_seconds"] = median([r["insert_seconds"] for r in runs["fts5"]])
    last = runs["product"][-1]
    return {
        "corpus": corpus.describe(),
        "runs": len(runs["product"]),
        "workers": workers,
        "rate": steps["product"]["rate"],
        "seconds": product,
        "ratios": {
            "product_vs_read": product / steps["read"]["seconds"],
            "product_vs_fts5": product / steps["fts5"]["seconds"],
            "product_vs_records": product / steps["records"]["seconds"],
            "product_vs_noextract": product / steps["noextract"]["seconds"],
        },
        "store_bytes": last["store_bytes"],
        "fts5_floor_bytes": runs["fts5"][-1]["store_bytes"],
        "target_rate": TARGETS["import_rate"],
        "meets_target": steps["product"]["rate"] >= TARGETS["import_rate"],
        "steps": steps,
    }


def fmt_load(load: dict[str, Any]) -> str:
    return (
        f"avg {load['loadavg1_mean']:.1f} (max {load['loadavg1_max']:.1f}) on"
        f" {cores()} cores, machine CPU {100 * (load['machine_cpu_busy'] or 0):.0f}% busy"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]),
    )
    pick = parser.add_argument_group("sub-benchmarks (none given: the standard set)")
    pick.add_argument(
        "--import",
        dest="do_import",
        action="store_true",
        help="floors + the product's import (embedded engine)",
    )
    pick.add_argument("--query", action="store_true", help="in-process query latency")
    pick.add_argument("--http", action="store_true", help="HTTP latency and load, memory")
    pick.add_argument(
        "--es-import",
        action="store_true",
        help="the product's import into Elasticsearch vs a raw streaming_bulk",
    )
    pick.add_argument(
        "--profile",
        action="store_true",
        help="cProfile + pyinstrument of the import and of the slowest queries",
    )
    pick.add_argument(
        "--scale",
        action="store_true",
        help="generated corpus at --scale-sizes, both engines (long)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=SAUDINEWSNET,
        help="the SaudiNewsNet folder (default ../shared/datasets/saudinewsnet)",
    )
    parser.add_argument("--limit", type=int, help="only the first N articles (quick runs)")
    parser.add_argument("--runs", type=int, default=1, help="import runs (median)")
    parser.add_argument(
        "--workers", type=int, default=cores(), help="import worker processes (default: cores)"
    )
    parser.add_argument(
        "--backend",
        choices=["auto", "sqlite", "elasticsearch", "both"],
        default="auto",
        help="engines for query/http/profile/scale (auto: both when an Elasticsearch node answers)",
    )
    parser.add_argument("--queries", type=Path, default=ROOT / "benchmarks" / "queries.json")
    parser.add_argument(
        "--results",
        type=Path,
        default=RESULTS_DIR,
        help="where the JSON results go (default benchmarks/results)",
    )
    parser.add_argument("--reps", type=int, default=5, help="repetitions of each query")
    parser.add_argument(
        "--http-reps",
        type=int,
        default=3,
        help="sequential repetitions of the query list over HTTP",
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--http-duration", type=float, default=20.0, help="seconds of concurrent load"
    )
    parser.add_argument("--profile-articles", type=int, default=3000)
    parser.add_argument("--scale-sizes", default="31030,100000,300000")
    parser.add_argument("--scale-reps", type=int, default=3)
    parser.add_argument("--scale-http-duration", type=float, default=10.0)
    parser.add_argument(
        "--no-scale-http",
        action="store_true",
        help="skip the HTTP run and memory at each scale size",
    )
    parser.add_argument("--seed", type=int, default=2015, help="generated corpus seed")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="query/http: reuse the cached archive even if the code changed",
    )
    parser.add_argument(
        "--no-snapshot",
        action="store_true",
        help="run the working tree itself, not a copy taken at the start",
    )
    parser.add_argument(
        "--keep-es",
        action="store_true",
        help="keep the benchmark's Elasticsearch indices (and work folder)",
    )
    return parser.parse_args(argv)


def snapshot_code() -> Path:
    """A copy of the product (archive/, config/, templates/) for this run: engineers keep
    editing the tree while a long benchmark runs, and every process of one run (import
    workers, server, CLI) must run the same code."""
    snap = cache_dir() / "runs" / f"code-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    for name in ("archive", "config", "templates"):
        shutil.copytree(
            ROOT / name,
            snap / name,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"),
        )
    native = ROOT / "build" / "native"  # the compiled entity modules, if built (make native)
    if native.is_dir():
        shutil.copytree(native, snap / "build" / "native")
    return snap


def reexec_on_snapshot(argv: list[str]) -> None:
    """Run this command again with the snapshot first on the import path (PYTHONSAFEPATH
    keeps the working tree, the current folder, off it); children inherit both."""
    snap = snapshot_code()
    paths = [str(snap), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {
        **os.environ,
        "ARCHIVE_BENCH_SNAPSHOT": str(snap),
        "PYTHONSAFEPATH": "1",
        "PYTHONPATH": os.pathsep.join(paths),
    }
    os.execve(PYTHON, [PYTHON, "-m", "benchmarks.bench", *argv], env)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if not args.no_snapshot and not os.environ.get("ARCHIVE_BENCH_SNAPSHOT") and args.data.exists():
        reexec_on_snapshot(argv)
    # a stopped run still deletes its Elasticsearch indices and work folder (finally below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not args.data.exists():
        print(
            f"bench: skipped: {args.data} is absent (the SaudiNewsNet corpus from ../shared;"
            " set ARCHIVE_SHARED to the shared folder)",
            file=sys.stderr,
        )
        return 0
    flags = [args.do_import, args.query, args.http, args.es_import, args.profile, args.scale]
    standard = not any(flags)
    harness = Harness(args)
    log(f"results: {harness.ctx.results_dir}; work: {harness.work}; code: {code_root()}")
    try:
        if args.do_import or standard:
            harness.bench_import()
        if args.es_import or (standard and harness.es_ok):
            harness.bench_es_import()
        if args.query or standard:
            harness.bench_query()
        if args.http or standard:
            harness.bench_http()
        if args.profile:
            harness.bench_profile()
        if args.scale:
            harness.bench_scale()
    finally:
        harness.cleanup()
        if os.environ.get("ARCHIVE_BENCH_SNAPSHOT"):
            shutil.rmtree(os.environ["ARCHIVE_BENCH_SNAPSHOT"], ignore_errors=True)
        if harness.ctx.written:
            latest = harness.ctx.save_latest()
            log("wrote " + ", ".join(p.name for p in harness.ctx.written) + f", {latest.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
