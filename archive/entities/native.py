"""Compiled entity modules: the mypyc builds of ``scripts/build_native.py``, used only while
they match the sources.

The builds live outside the package (``build/native``) with the SHA-256 of every source they
were compiled from; ``enable`` puts them ahead of the sources only when every hash still
matches and the interpreter is the one they were built for, so an edited module always runs
as written. ``ARCHIVE_NATIVE=0`` turns them off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import sysconfig
from pathlib import Path

from archive.config import PROJECT_DIR

SOURCE_DIR = Path(__file__).resolve().parent  # the package's own folder, compiled or not
NATIVE_DIR = PROJECT_DIR / "build" / "native"
MANIFEST = NATIVE_DIR / "sources.json"
# the modules whose code runs per word or per mention; types.py (pickled dataclasses), this
# module and the package's __init__ stay interpreted
MODULES = (
    "aliases", "canonical", "extractor", "features", "gazetteer", "lexicon", "model", "rules",
)  # fmt: skip


def source_hashes() -> dict[str, str]:
    """SHA-256 of each compiled module's source, and the extension suffix of this Python."""
    hashes = {
        name: hashlib.sha256((SOURCE_DIR / f"{name}.py").read_bytes()).hexdigest()
        for name in MODULES
    }
    hashes["python"] = sysconfig.get_config_var("EXT_SUFFIX") or ""
    return hashes


def up_to_date() -> bool:
    """Whether build/native holds builds of exactly these sources, for this Python."""
    try:
        built = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return built == source_hashes()


def enable(package_path: list[str]) -> bool:
    """Put the compiled modules ahead of the sources in the package's search path (call it
    from the package's ``__init__``, before any of them is imported). Returns whether it did."""
    if os.environ.get("ARCHIVE_NATIVE", "1") == "0" or not up_to_date():
        return False
    package_path.insert(0, str(NATIVE_DIR / "archive" / "entities"))
    if str(NATIVE_DIR) not in sys.path:
        sys.path.append(str(NATIVE_DIR))  # the runtime library the compiled modules share
    return True
