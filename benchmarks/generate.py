"""A larger realistic corpus for the scale benchmark, recombined from SaudiNewsNet.

    python -m benchmarks.generate --count 300000            # into the bench cache (printed)
    python -m benchmarks.generate --count 20000 --out /tmp/corpus --seed 3

Each synthetic article takes a real article as its template (its newspaper, byline and
shape: how many paragraphs, how many sentences in each), then fills every sentence slot with a
sentence drawn at random from the same newspaper's articles, so the vocabulary, the sentence
lengths and the names (hence the entities the extractor finds) are real while the articles are
new. The title is a real headline of the same newspaper. Ids and URLs are new; dates spread
over 2000-2025, more articles in later years (as archives grow), so the year facet has 26
values. Deterministic for a given seed and source corpus.

Output: JSON Lines parts (``part-00000.jsonl`` ...) of at most ``--part-size`` articles, none
straddling a ``--boundaries`` size, and ``manifest.json`` listing each part's article range, so
the scale benchmark can import the first 31,030, then up to 100,000, then up to 300,000. The
output goes to the cache folder outside the repository: SaudiNewsNet's licence (CC BY-NC-SA)
keeps its text, recombined or not, out of the product.
"""

from __future__ import annotations

import argparse
import bisect
import calendar
import itertools
import json
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import SAUDINEWSNET, cache_dir, corpus_files, iter_raw, log

GENERATOR_VERSION = 1
FIRST_YEAR, LAST_YEAR = 2000, 2025
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")


@dataclass
class SourcePool:
    titles: list[str]
    sentences: list[str]


@dataclass(frozen=True)
class Template:
    source: str
    author: str
    shape: tuple[int, ...]  # sentences per paragraph


def split_sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]


def build_pools(records: Sequence[dict[str, Any]]) -> tuple[dict[str, SourcePool], list[Template]]:
    pools: dict[str, SourcePool] = {}
    templates: list[Template] = []
    for record in records:
        source = record.get("source") or "unknown"
        pool = pools.setdefault(source, SourcePool([], []))
        if record.get("title"):
            pool.titles.append(record["title"].strip())
        shape = []
        for paragraph in (record.get("content") or "").split("\n"):
            sentences = split_sentences(paragraph)
            if sentences:
                pool.sentences.extend(sentences)
                shape.append(len(sentences))
        if shape and record.get("title"):
            templates.append(Template(source, record.get("author") or "", tuple(shape)))
    return pools, templates


def year_weights() -> tuple[list[int], list[float]]:
    """Cumulative weights: a year's share grows linearly, 2025 holds 4x what 2000 does."""
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    weights = [1 + 3 * (y - FIRST_YEAR) / (LAST_YEAR - FIRST_YEAR) for y in years]
    return years, list(itertools.accumulate(weights))


def random_date(rng: random.Random, years: list[int], cumulative: list[float]) -> str:
    year = years[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]
    day = rng.randrange(366 if calendar.isleap(year) else 365)
    stamp = time.gmtime(calendar.timegm((year, 1, 1, 0, 0, 0)) + day * 86400 + rng.randrange(86400))
    return time.strftime("%Y-%m-%d %H:%M:%S", stamp)


def synthesize(
    number: int,
    rng: random.Random,
    pools: dict[str, SourcePool],
    templates: Sequence[Template],
    years: list[int],
    cumulative: list[float],
    seed: int,
) -> dict[str, Any]:
    template = templates[rng.randrange(len(templates))]
    pool = pools[template.source]
    paragraphs = [
        " ".join(pool.sentences[rng.randrange(len(pool.sentences))] for _ in range(count))
        for count in template.shape
    ]
    return {
        "id": f"syn{seed}-{number:07d}",
        "source": template.source,
        "url": f"https://synthetic.invalid/{template.source}/{seed}/{number}",
        "date_extracted": random_date(rng, years, cumulative),
        "title": pool.titles[rng.randrange(len(pool.titles))],
        "author": template.author,
        "content": "\n".join(paragraphs),
    }


def part_ranges(count: int, part_size: int, boundaries: Sequence[int]) -> list[tuple[int, int]]:
    cuts = sorted({b for b in boundaries if 0 < b < count} | {count})
    ranges = []
    start = 0
    for cut in cuts:
        while start < cut:
            end = min(start + part_size, cut)
            ranges.append((start, end))
            start = end
    return ranges


def generate(
    count: int,
    out: Path,
    seed: int = 2015,
    part_size: int = 10_000,
    boundaries: Sequence[int] = (31_030, 100_000),
    source: Path = SAUDINEWSNET,
) -> Path:
    """Write the corpus (or reuse it when ``out`` already holds this exact one)."""
    params = {
        "version": GENERATOR_VERSION,
        "count": count,
        "seed": seed,
        "part_size": part_size,
        "boundaries": sorted(boundaries),
        "source": str(source),
    }
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("params") == params and all(
            (out / p["file"]).exists() for p in manifest["parts"]
        ):
            return out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.jsonl"):
        old.unlink()
    started = time.perf_counter()
    pools, templates = build_pools(list(iter_raw(corpus_files(source))))
    years, cumulative = year_weights()
    rng = random.Random(seed)
    parts = []
    for index, (start, end) in enumerate(part_ranges(count, part_size, boundaries)):
        name = f"part-{index:05d}.jsonl"
        with (out / name).open("w", encoding="utf-8") as handle:
            for number in range(start, end):
                article = synthesize(number, rng, pools, templates, years, cumulative, seed)
                handle.write(json.dumps(article, ensure_ascii=False) + "\n")
        parts.append({"file": name, "start": start, "end": end})
    manifest_path.write_text(
        json.dumps(
            {"params": params, "parts": parts, "seconds": round(time.perf_counter() - started, 1)},
            indent=1,
        )
    )
    return out


def parts_between(out: Path, start: int, end: int) -> list[Path]:
    """The part files holding articles [start, end) (boundaries must fall between parts)."""
    manifest = json.loads((out / "manifest.json").read_text())
    chosen = [p for p in manifest["parts"] if p["start"] >= start and p["end"] <= end]
    covered = sum(p["end"] - p["start"] for p in chosen)
    if covered != end - start:
        raise ValueError(
            f"parts of {out} do not cover [{start}, {end}) exactly; regenerate"
            " with this size among --boundaries"
        )
    return [out / p["file"] for p in chosen]


def default_out(count: int, seed: int) -> Path:
    return cache_dir() / f"synthetic-{count}-seed{seed}"


def main() -> None:
    parser = argparse.ArgumentParser(description="generate a larger corpus from SaudiNewsNet")
    parser.add_argument("--count", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--part-size", type=int, default=10_000)
    parser.add_argument(
        "--boundaries", default="31030,100000", help="sizes no part may straddle (comma-separated)"
    )
    parser.add_argument("--source", type=Path, default=SAUDINEWSNET)
    args = parser.parse_args()
    out = args.out or default_out(args.count, args.seed)
    boundaries = [int(b) for b in args.boundaries.split(",") if b.strip()]
    log(f"generating {args.count:,} articles into {out}")
    generate(args.count, out, args.seed, args.part_size, boundaries, args.source)
    print(out)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
