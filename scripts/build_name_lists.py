#!/usr/bin/env python3
"""Given-name and family-name ranks from the names-dataset package, for training the tagger.

    .venv/bin/python scripts/build_name_lists.py --out /tmp/names/ranks.tsv
    .venv/bin/python scripts/train_ner.py --names /tmp/names/ranks.tsv

names-dataset (MIT licence, Philippe Remy, https://github.com/philipperemy/name-dataset)
counts the first and last names of public social-network profiles per country. Its
Arabic-script entries say how common a word is as a name part: a third of the person tokens
of NewsFANE's train split are among the 1,000 most common given names of some country, against
4 % of the other tokens. The trained model keeps the bucketed lists it was trained with (see
``train_ner.name_classes``), so nothing of this is needed at run time.

The wheel (56 MB) is fetched with pip into a cache folder; only Arabic-script single words
are kept, folded as the extractor folds words, with their best rank in any country.
"""

from __future__ import annotations

import argparse
import gzip
import pickle
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.entities.lexicon import fold  # noqa: E402

VERSION = "3.3.1"
ARABIC_WORD = re.compile("[\u0621-\u064a]{2,}")
MAX_RANK = 20_000


def fetch_wheel(cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    pattern = f"names_dataset-{VERSION}-*.whl"
    if not sorted(cache.glob(pattern)):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(cache),
             f"names-dataset=={VERSION}"],
            check=True,
        )  # fmt: skip
    return sorted(cache.glob(pattern))[0]


def best_ranks(wheel: Path, member: str) -> dict[str, int]:
    """Folded Arabic-script name -> its best rank in any country (ranks past MAX_RANK left out)."""
    with zipfile.ZipFile(wheel) as archive:
        table = pickle.loads(gzip.decompress(archive.read(member)))
    ranks: dict[str, int] = {}
    for name, info in table.items():
        if not ARABIC_WORD.fullmatch(name) or not info.get("rank"):
            continue
        form = fold(name)
        rank = min(info["rank"].values())
        if " " not in form and len(form) > 1 and rank <= MAX_RANK:
            ranks[form] = min(rank, ranks.get(form, rank))
    return ranks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "names-dataset")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    wheel = fetch_wheel(args.cache)
    first = best_ranks(wheel, "names_dataset/v3/first_names.pkl.gz")
    last = best_ranks(wheel, "names_dataset/v3/last_names.pkl.gz")
    lines = ["# form\tgiven-name rank\tfamily-name rank (best in any country; 0: not listed)"]
    lines += [
        f"{f}\t{first.get(f, 0)}\t{last.get(f, 0)}" for f in sorted(first.keys() | last.keys())
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(first)} given names, {len(last)} family names")


if __name__ == "__main__":
    main()
