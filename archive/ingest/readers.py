"""Readers, one per input format: files in, raw records (or precise read errors) out.

A reader never stops at a bad record: it reports where and why, and goes on with the rest.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from archive.ingest.decoding import DecodeError, decode

csv.field_size_limit(64 * 1024 * 1024)


@dataclass(frozen=True)
class RawRecord:
    path: str  # file, or "archive.zip:member.json"
    line: int | None  # line (JSONL, CSV) or record number (JSON array), 1-based
    data: dict[str, object]


@dataclass(frozen=True)
class ReadError:
    path: str
    line: int | None
    reason: str


Item = RawRecord | ReadError
SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".zip", ".txt", ".md", ".html", ".htm")
# A folder's own documentation is not an article: skipped when walking folders (a file named
# on the command line is always read).
DOCUMENTATION = re.compile(r"^(readme|license|licence|changelog|notice|copying)(\.|$)", re.I)


def iter_files(paths: list[Path]) -> Iterator[Path | ReadError]:
    """Files to import: the paths given, folders walked recursively in name order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if (
                    child.is_file()
                    and not hidden
                    and child.suffix.lower() in SUFFIXES
                    and not DOCUMENTATION.match(child.name)
                ):
                    yield child
        elif path.is_file():
            yield path
        else:
            yield ReadError(str(path), None, "no such file or folder")


def read_file(path: Path) -> Iterator[Item]:
    try:
        data = path.read_bytes()
    except OSError as error:
        yield ReadError(str(path), None, f"cannot read: {error.strerror or error}")
        return
    yield from read_bytes(str(path), path.suffix.lower(), data)


def read_bytes(name: str, suffix: str, data: bytes) -> Iterator[Item]:
    """Dispatch by suffix (for zip members too)."""
    if suffix == ".zip":
        yield from _read_zip(name, data)
        return
    reader = _READERS.get(suffix)
    if reader is None:
        yield ReadError(
            name,
            None,
            f"unsupported file type {suffix or '(none)'!r}; expected one of {', '.join(SUFFIXES)}",
        )
        return
    if not data.strip():
        yield ReadError(name, None, "empty file")
        return
    try:
        text = decode(data)
    except DecodeError as error:
        yield ReadError(name, None, str(error))
        return
    yield from reader(name, text)


def _read_zip(name: str, data: bytes) -> Iterator[Item]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        yield ReadError(name, None, f"not a readable zip file: {error}")
        return
    for member in sorted(members, key=lambda m: m.filename):
        inner = f"{name}:{member.filename}"
        base = member.filename.rsplit("/", 1)[-1]
        if base.startswith(".") or member.filename.startswith("__MACOSX/"):
            continue
        try:
            content = archive.read(member)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            yield ReadError(inner, None, f"corrupt zip member: {error}")
            continue
        yield from read_bytes(inner, Path(base).suffix.lower(), content)


def _read_json(name: str, text: str) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        # Maybe JSON Lines saved as .json
        if "\n" in text.strip() and text.lstrip().startswith("{"):
            yield from _read_jsonl(name, text)
            return
        yield ReadError(name, error.lineno, f"invalid JSON: {error.msg} (column {error.colno})")
        return
    if isinstance(data, dict):
        for key in ("articles", "items", "data", "records"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            yield RawRecord(name, 1, data)
            return
    if not isinstance(data, list):
        yield ReadError(
            name, None, f"expected a JSON array of articles, found {type(data).__name__}"
        )
        return
    for number, item in enumerate(data, start=1):
        if isinstance(item, dict):
            yield RawRecord(name, number, item)
        else:
            yield ReadError(
                name, number, f"record {number} is a {type(item).__name__}, not an object"
            )


def _read_jsonl(name: str, text: str) -> Iterator[Item]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield ReadError(name, number, f"invalid JSON: {error.msg} (column {error.colno})")
            continue
        if isinstance(item, dict):
            yield RawRecord(name, number, item)
        else:
            yield ReadError(name, number, f"line holds a {type(item).__name__}, not an object")


def _read_csv(name: str, text: str, delimiter: str = ",") -> Iterator[Item]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        yield ReadError(name, 1, "no header row")
        return
    columns = [column.strip().lstrip("\ufeff").lower() for column in header]
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            record: dict[str, object] = {}
            for column, cell in zip(columns, row, strict=False):
                if column and cell.strip():
                    record[column] = cell
            if len(row) > len(columns):
                extra = [cell for cell in row[len(columns) :] if cell.strip()]
                if extra:
                    yield ReadError(
                        name,
                        line,
                        f"{len(row)} fields but the header names"
                        f" {len(columns)}; the extra fields were not imported",
                    )
            yield RawRecord(name, line, record)
    except csv.Error as error:
        yield ReadError(name, reader.line_num, f"malformed CSV: {error}")


def _read_tsv(name: str, text: str) -> Iterator[Item]:
    return _read_csv(name, text, delimiter="\t")


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_SOURCE_LINE = re.compile(r"^\s*(?:المصدر|Source)\s*[:：]\s*(.+?)\s*$", re.IGNORECASE)
_CREDIT_LINE = re.compile(r"^\s*(?:الصورة|صورة|Photo)\s*[:：]")


def _read_text(name: str, text: str) -> Iterator[Item]:
    """One article per file: optional front matter, first line title, "المصدر: X" as source."""
    record: dict[str, object] = {}
    if match := _FRONT_MATTER.match(text):
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip():
                record[key.strip().lower()] = value.strip()
        text = text[match.end() :]
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and (match := _SOURCE_LINE.match(lines[-1])):
        record.setdefault("source", match.group(1))
        lines.pop()
    lines = [line for line in lines if not _CREDIT_LINE.match(line)]
    body = [line for line in lines if line.strip()]
    if body and "title" not in record:
        record["title"] = body.pop(0).lstrip("#").strip()
    record["content"] = "\n".join(body)
    yield RawRecord(name, None, _with_file_id(name, record))


def _with_file_id(name: str, record: dict[str, object]) -> dict[str, object]:
    """One article per file: the file is its identity (editing it and importing again updates
    the article), unless the record names its own id or url."""
    if not record.get("id") and not record.get("url"):
        record["id"] = Path(name.rsplit(":", 1)[-1]).stem
    return record


def _read_html(name: str, text: str) -> Iterator[Item]:
    from archive.ingest.html import html_record

    try:
        record = html_record(text)
    except ValueError as error:
        yield ReadError(name, None, str(error))
        return
    yield RawRecord(name, None, _with_file_id(name, record))


_READERS: dict[str, Callable[[str, str], Iterator[Item]]] = {
    ".json": _read_json,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".csv": _read_csv,
    ".tsv": _read_tsv,
    ".txt": _read_text,
    ".md": _read_text,
    ".html": _read_html,
    ".htm": _read_html,
}
