"""From stored article to index document: analysis, facet values, alias canonicalization.

This is the one place that decides what an engine indexes, so ``archive reindex`` after an edit
of the alias file or of a facet declaration changes both engines the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from archive.analysis import Terms, terms
from archive.backends.base import IndexDoc
from archive.config import FacetSpec
from archive.entities import AliasTable
from archive.models import Article, StoredArticle

# Article fields that hold entity names, and the entity kind behind each.
ENTITY_FIELDS = {"persons": "person", "organizations": "organization"}

FacetValues = dict[str, tuple[str | int, ...]]  # facet name -> canonical values


def _facet_values(
    article: Article,
    entities: Mapping[str, Sequence[str]],
    spec: FacetSpec,
    aliases: AliasTable,
) -> tuple:
    if spec.kind == "year":
        return (article.year,) if article.year else ()
    if spec.field in ENTITY_FIELDS:
        kind = ENTITY_FIELDS[spec.field]
        names = entities.get(kind, ())
        return tuple(dict.fromkeys(aliases.canonical(kind, name) for name in names))
    value = getattr(article, spec.field, None)
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, tuple):
        return tuple(dict.fromkeys(v for v in value if v))
    return ()


def article_facets(
    article: Article,
    entities: Mapping[str, Sequence[str]],
    facets: tuple[FacetSpec, ...],
    aliases: AliasTable,
) -> FacetValues:
    """Every facet's values for an article: canonical, without repeats (import workers compute
    them before the article is stored; the article page from the stored article)."""
    return {spec.name: _facet_values(article, entities, spec, aliases) for spec in facets}


def make_doc(
    article: Article,
    seq: int,
    rev: int,
    facets: FacetValues,
    title_terms: Terms,
    body_terms: Terms,
    replaces: tuple[str, str] | None = None,
) -> IndexDoc:
    return IndexDoc(
        id=article.id,
        seq=seq,
        rev=rev,
        title=article.title,
        content=article.content,
        date=article.date,
        year=article.year,
        source=article.source,
        url=article.url,
        author=article.author,
        facets=facets,
        title_terms=title_terms,
        body_terms=body_terms,
        replaces=replaces,
    )


def index_doc(
    stored: StoredArticle, facets: tuple[FacetSpec, ...], aliases: AliasTable
) -> IndexDoc:
    """The index document of a stored article (analyzed here)."""
    article = stored.article
    return make_doc(
        article,
        stored.seq,
        stored.rev,
        article_facets(article, stored.entities, facets, aliases),
        terms(article.title),
        terms(article.content),
    )
