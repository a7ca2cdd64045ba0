#!/usr/bin/env python3
"""Compile the entity extractor with mypyc into build/native (optional; `make setup` runs it).

    .venv/bin/python scripts/build_native.py            # build, or say it is up to date
    ARCHIVE_NATIVE=0 .venv/bin/archive import ...        # run the pure-Python modules anyway

Extraction is most of an import's CPU, and most of it is Python-level rule and feature code:
compiled by mypyc (the compiler mypy itself and black ship with) the same modules give the same
mentions, faster. The sources stay the product: the compiled modules live outside the package,
in build/native, with the SHA-256 of every source they were built from, and
``archive/entities/__init__.py`` uses them only while each source still has that hash. An edit,
a checkout or another Python leaves them unused until this script runs again; a machine
without a C compiler or Python's headers runs the pure-Python modules, as before.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.entities.native import (  # noqa: E402
    MANIFEST,
    MODULES,
    NATIVE_DIR,
    source_hashes,
    up_to_date,
)


def build() -> None:
    """mypyc compiles a copy of the package (in place, as it does), and the extension modules
    it made are moved to build/native, laid out as the package is."""
    hashes = source_hashes()
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp)
        shutil.copytree(ROOT / "archive", stage / "archive", ignore=shutil.ignore_patterns("*.so"))
        targets = [f"archive/entities/{name}.py" for name in MODULES]
        subprocess.run(
            [sys.executable, "-m", "mypyc", "--ignore-missing-imports", *targets],
            cwd=stage,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        suffix = hashes["python"]
        built = [stage / "archive" / "entities" / f"{name}{suffix}" for name in MODULES]
        shared = list(stage.glob(f"*__mypyc{suffix}"))  # the runtime the modules share
        missing = [path.name for path in built if not path.exists()]
        if missing or len(shared) != 1:
            raise SystemExit(f"mypyc did not build {missing or 'its shared library'}")
        shutil.rmtree(NATIVE_DIR, ignore_errors=True)
        (NATIVE_DIR / "archive" / "entities").mkdir(parents=True)
        for path in built:
            shutil.move(path, NATIVE_DIR / "archive" / "entities" / path.name)
        shutil.move(shared[0], NATIVE_DIR / shared[0].name)
    MANIFEST.write_text(json.dumps(hashes, indent=1), encoding="utf-8")


def main() -> None:
    if up_to_date():
        print(f"native modules up to date in {NATIVE_DIR.relative_to(ROOT)}")
        return
    build()
    print(f"native modules built in {NATIVE_DIR.relative_to(ROOT)}: {', '.join(MODULES)}")


if __name__ == "__main__":
    main()
