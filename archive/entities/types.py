"""What extraction returns, and the one interface every extractor implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

KINDS = ("person", "organization")


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity in the text."""

    text: str  # exactly text[start:end] of the input
    type: str  # "person" | "organization"
    start: int
    end: int
    name: str  # within-article canonical: the full name this text uses for the entity
    canonical: str  # ``name`` after the configured aliases: what facets show
    # a given name alone ("محمد"), that the article never completes and no alias knows: a
    # mention of somebody, but no facet value (it would gather every محمد of the archive)
    vague: bool = False


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


@dataclass(frozen=True)
class Extraction:
    """The entities of one document, mentions in text order."""

    mentions: list[Mention] = field(default_factory=list)

    @property
    def persons(self) -> list[str]:
        """Unique canonical person names, in order of first appearance (vague ones left out)."""
        return _unique([m.canonical for m in self.mentions if m.type == "person" and not m.vague])

    @property
    def organizations(self) -> list[str]:
        return _unique([m.canonical for m in self.mentions if m.type == "organization"])

    def names(self, kind: str) -> list[str]:
        """Unique within-article names (before aliases) of one kind: what the store keeps and
        facets show (vague mentions left out)."""
        return _unique([m.name for m in self.mentions if m.type == kind and not m.vague])

    def to_json(self) -> dict:
        """The ``archive extract`` line for this document."""
        return {
            "persons": self.persons,
            "organizations": self.organizations,
            "mentions": [
                {
                    "text": m.text,
                    "type": m.type,
                    "start": m.start,
                    "end": m.end,
                    "canonical": m.canonical,
                }
                for m in self.mentions
            ],
        }


class EntityExtractor(Protocol):
    """Anything that finds persons and organizations (CRF default, CAMeL Tools, a transformer)."""

    def extract(self, text: str) -> Extraction: ...
