"""Saved news pages: the article's main text and metadata, without navigation, ads or comments."""

from __future__ import annotations

import trafilatura


def html_record(html: str) -> dict[str, object]:
    """A raw article record from an HTML page (trafilatura's main-text extraction)."""
    document = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        with_metadata=True,
    )
    if document is None:
        raise ValueError("no article text found in the HTML page")
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    title = (data.get("title") or "").strip()
    content = (data.get("text") or "").strip()
    if title and content.startswith(title):  # the headline again, as the body's first line
        content = content[len(title) :].lstrip()
    record: dict[str, object] = {
        "title": title,
        "content": content,
        "date": data.get("date") or None,
        "author": data.get("author") or "",
        "url": data.get("url") or "",
        "source": data.get("sitename") or data.get("hostname") or "",
    }
    if data.get("tags"):
        record["tags"] = data["tags"]
    return {key: value for key, value in record.items() if value}
