#!/usr/bin/env python3
"""A dictionary of Arabic words from Debian's hunspell-ar (Ayaspell), for training the tagger.

    .venv/bin/python scripts/build_vocab.py --out /tmp/vocab.txt.gz
    .venv/bin/python scripts/train_ner.py --vocab /tmp/vocab.txt.gz

Ayaspell (Mohamed Kebdani and contributors, GPL 2.0 / LGPL 2.1 / MPL 1.1) lists the stems of
Arabic nouns, verbs and particles. A word of text whose stem is not among them is most often a
foreign name ("لافروف"): see ``features.vocab_kind``. ``train_ner.py`` writes the words
beside the model it trains (``vocab.txt.gz``, named by the model's "vocab" entry; licence in
archive/entities/model/NOTICE.md), so neither this script nor the package is needed at run time.

The package is fetched with ``apt-get download`` into a temporary folder, not installed; affix
flags are dropped and words are folded as the extractor folds them.
"""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.analysis import normalize  # noqa: E402

PACKAGE = "hunspell-ar"
DIC = "usr/share/hunspell/ar.dic"
ARABIC_WORD = re.compile(r"[\u0621-\u064a\u064b-\u0652]+")


def dictionary_words(dic_text: str) -> set[str]:
    """Folded words of a hunspell .dic file: "word/flags<TAB>count" lines; section banners
    and non-Arabic lines are skipped."""
    words = set()
    for line in dic_text.splitlines():
        word = line.split("\t")[0].split("/")[0].strip()
        if ARABIC_WORD.fullmatch(word):
            words.add(normalize(word))
    return words


def fetch_dic(folder: Path) -> str:
    subprocess.run(["apt-get", "download", PACKAGE], cwd=folder, check=True)
    (deb,) = folder.glob(f"{PACKAGE}_*.deb")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(folder / "x")], check=True)
    return (folder / "x" / DIC).read_text(encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--dic", type=Path, help="an ar.dic already at hand")
    args = parser.parse_args()
    if args.dic:
        text = args.dic.read_text(encoding="utf-8")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            text = fetch_dic(Path(tmp))
    words = dictionary_words(text)
    with gzip.open(args.out, "wt", encoding="utf-8") as handle:
        handle.write("".join(w + "\n" for w in sorted(words)))
    print(f"{len(words)} words -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
