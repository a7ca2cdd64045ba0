"""``python -m archive.entities``: UTF-8 text on stdin, one document per line; one JSON object
per line on stdout (the ``archive extract`` contract)."""

from __future__ import annotations

import io
import json
import sys

from archive.entities import extract_lines


def main() -> None:
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline="\n")
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
    for result in extract_lines(stdin):
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
