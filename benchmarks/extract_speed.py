#!/usr/bin/env python3
"""Entity extraction speed on real articles: words per second, one process, one core.

    .venv/bin/python benchmarks/extract_speed.py              # all of SaudiNewsNet, 3 runs
    .venv/bin/python benchmarks/extract_speed.py --limit 3000 --runs 5

Each run builds a fresh extractor (cold per-type cache, as a new import worker has) and extracts
title + "\\n\\n" + content of every article, the way the import pipeline does: 25 articles per
``extract_many`` call (``--batch 1``: one ``extract`` call per article). Words are counted
as the analyzer counts them (``archive.analysis.WORD_PATTERN``). Wall-clock and CPU-time rates
are both reported: on a shared machine the CPU time of this process is the steadier measure of
words per second per core. The last line is JSON.
SaudiNewsNet (CC BY-NC-SA 4.0) is read from ../shared for benchmarking only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.analysis import WORD_PATTERN  # noqa: E402
from archive.entities.extractor import MODEL_PATH, CrfExtractor  # noqa: E402
from benchmarks.common import SAUDINEWSNET, corpus_files, load_raw  # noqa: E402


def load_texts(folder: Path, limit: int | None) -> list[str]:
    """title + blank line + content of the first ``limit`` articles, as imports join them."""
    records = load_raw(corpus_files(folder), limit)
    return [(r.get("title") or "") + "\n\n" + (r.get("content") or "") for r in records]


def one_run(texts: list[str], model: Path, batch: int) -> tuple[float, float, float, int]:
    """(model load seconds, wall seconds, CPU seconds, mentions) of one cold run, the texts
    given ``batch`` at a time (``extract_many``, as import workers do; 1: ``extract``)."""
    started = time.perf_counter()
    extractor = CrfExtractor(model)
    loaded, cpu = time.perf_counter(), time.process_time()
    mentions = 0
    if batch == 1:
        for text in texts:
            mentions += len(extractor.extract(text).mentions)
    else:
        for k in range(0, len(texts), batch):
            mentions += sum(len(e.mentions) for e in extractor.extract_many(texts[k : k + batch]))
    return loaded - started, time.perf_counter() - loaded, time.process_time() - cpu, mentions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SAUDINEWSNET)
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--batch", type=int, default=25, help="texts per extract_many call (1: extract each)"
    )
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"SaudiNewsNet not found at {args.data} (it lives in ../shared)")

    texts = load_texts(args.data, args.limit)
    words = sum(len(WORD_PATTERN.findall(t)) for t in texts)
    print(f"{len(texts)} articles, {words} words", file=sys.stderr)
    rates, cpu_rates, loads = [], [], []
    for run in range(args.runs):
        load_s, seconds, cpu_seconds, mentions = one_run(texts, args.model, args.batch)
        rates.append(words / seconds)
        cpu_rates.append(words / cpu_seconds)
        loads.append(load_s)
        print(
            f"run {run + 1}: {seconds:.1f}s wall ({words / seconds:,.0f} words/s), "
            f"{cpu_seconds:.1f}s CPU ({words / cpu_seconds:,.0f} words/s), "
            f"{mentions} mentions, model load {load_s:.2f}s, load average {os.getloadavg()[0]:.1f}",
            file=sys.stderr,
        )
    result = {
        "articles": len(texts),
        "words": words,
        "runs": args.runs,
        "words_per_second_median": round(statistics.median(rates)),
        "words_per_second_runs": [round(r) for r in rates],
        "words_per_cpu_second_median": round(statistics.median(cpu_rates)),
        "model_load_seconds_median": round(statistics.median(loads), 3),
        "cpu_count": os.cpu_count(),
        "processes": 1,
        "batch": args.batch,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
