"""Bytes to text for the encodings Arabic archives really use.

UTF-8 (with or without BOM) first; UTF-16/32 by BOM or by their NUL-byte pattern; then the legacy
Arabic code pages (Windows-1256 above all, ISO-8859-6) when the result reads as Arabic; then
charset-normalizer's best guess. A file that is binary is refused, not imported as noise.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes


class DecodeError(ValueError):
    pass


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ARABIC = re.compile("[\u0621-\u064a]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def _printable_share(text: str) -> float:
    if not text:
        return 0.0
    return sum(ch.isprintable() or ch in "\n\r\t" for ch in text) / len(text)


def _looks_like_text(text: str) -> bool:
    return len(_CONTROL.findall(text[:20_000])) <= max(2, len(text[:20_000]) // 1000)


def decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise DecodeError(f"invalid {encoding} text at byte {error.start}") from None
    sample = data[:4000]
    if b"\x00" in sample:
        # UTF-16 without BOM (ASCII gives NUL bytes; Arabic gives 0x06 high bytes), or binary.
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _printable_share(text[:5000]) >= 0.97:
                return text
        raise DecodeError("binary file (not text in any known encoding)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1256", "iso-8859-6"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _ARABIC.search(text) and _looks_like_text(text):
            return text
    best = from_bytes(data).best()
    if best is None or not _looks_like_text(str(best)):
        raise DecodeError("binary file (not text in any known encoding)")
    return str(best)
