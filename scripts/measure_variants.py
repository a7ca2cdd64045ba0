#!/usr/bin/env python3
"""Measure how spelling variants search on real text (SaudiNewsNet).

Orthographic variants (hamza on alef, harakat, tatweel, Arabic-Indic digits, attached clitics)
must return identical result sets; singular/plural and definite/indefinite forms of common
words should overlap heavily. Prints one JSON object with every figure.

    .venv/bin/python scripts/measure_variants.py --data /tmp/snn            # existing archive
    .venv/bin/python scripts/measure_variants.py --import ../shared/datasets/saudinewsnet
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.api import Archive
from archive.config import load_settings

# Each group: forms that differ only in writing; the first is the plain form.
ORTHOGRAPHIC = [
    ("أمير", "امير", "أَمِير", "أمـــير"),
    ("إنتاج", "انتاج", "إِنْتَاج", "إنتـــاج"),
    ("أرامكو", "ارامكو", "أرامـكو"),
    ("آل سعود", "ال سعود"),
    ("مكة", "مكه", "مَكَّة", "مكـــة"),
    ("الشورى", "الشوري", "الشُّورَى"),
    ("مسؤول", "مسئول"),
    ("2015", "٢٠١٥"),
    ("1436", "١٤٣٦"),
    ("المملكة", "والمملكة", "بالمملكة", "للمملكة"),
    ("الرياض", "بالرياض", "والرياض"),
    ("الوزارة", "والوزارة", "بالوزارة", "للوزارة"),
    ("الهلال", "والهلال", "للهلال"),
    ("المواطنين", "والمواطنين", "للمواطنين"),
]
# Related forms of a word: they should find mostly the same articles.
MORPHOLOGICAL = [
    ("المعلم", "المعلمين", "معلم", "المعلمون"),
    ("الطالب", "طالبات", "الطالبة"),
    ("الحوثي", "الحوثيين", "الحوثيون", "حوثي"),
    ("المستشفى", "مستشفى", "المستشفيات"),
    ("اللاعب", "لاعب", "اللاعبين"),
    ("الشركة", "شركة", "الشركات"),
    ("المشروع", "مشروع", "المشروعات"),
    ("السعودي", "السعودية", "سعودي"),
    ("الاقتصاد", "اقتصاد", "الاقتصادية"),
    ("المدرسة", "مدرسة", "المدارس"),
]


def ids(archive: Archive, query: str) -> set[str]:
    result = archive.search(query, limit=0)
    total = result.total
    found: set[str] = set()
    for offset in range(0, total, 200):
        found |= {hit.id for hit in archive.search(query, limit=200, offset=offset).hits}
    return found


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def measure(archive: Archive) -> dict:
    ortho = []
    for group in ORTHOGRAPHIC:
        sets = [ids(archive, form) for form in group]
        ortho.append(
            {
                "forms": list(group),
                "totals": [len(s) for s in sets],
                "identical": all(s == sets[0] for s in sets),
            }
        )
    morph = []
    for group in MORPHOLOGICAL:
        sets = [ids(archive, form) for form in group]
        union = set().union(*sets)
        morph.append(
            {
                "forms": list(group),
                "totals": [len(s) for s in sets],
                "mean_jaccard_to_union": round(
                    statistics.mean(len(s) / len(union) if union else 1.0 for s in sets), 3
                ),
                "pairwise_min_jaccard": round(
                    min(jaccard(a, b) for i, a in enumerate(sets) for b in sets[i + 1 :]), 3
                ),
            }
        )
    return {
        "articles": archive.store.count(),
        "orthographic_groups": len(ortho),
        "orthographic_identical": sum(g["identical"] for g in ortho),
        "orthographic": ortho,
        "morphological": morph,
        "morphological_mean_share_of_union": round(
            statistics.mean(g["mean_jaccard_to_union"] for g in morph), 3
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="an archive that already holds the corpus")
    parser.add_argument("--import", dest="source", type=Path, help="import this corpus first")
    parser.add_argument("--backend", default="sqlite")
    args = parser.parse_args()
    data = args.data or Path(tempfile.mkdtemp(prefix="variants-"))
    archive = Archive(load_settings({"data_dir": data, "backend": args.backend}))
    if args.source:
        archive.import_paths([args.source])
    print(json.dumps(measure(archive), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
