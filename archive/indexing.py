"""From stored article to index document: analysis, facet values, alias canonicalization.

This is the one place that decides what an engine indexes, so ``archive reindex`` after an edit
of the alias file or of a facet declaration changes both engines the same way.
"""

from __future__ import annotations

from archive.analysis import Terms, terms
from archive.backends.base import IndexDoc
from archive.config import FacetSpec
from archive.entities import AliasTable
from archive.models import StoredArticle

# Article fields that hold entity names, and the entity kind behind each.
ENTITY_FIELDS = {"persons": "person", "organizations": "organization"}


def facet_values(stored: StoredArticle, spec: FacetSpec, aliases: AliasTable) -> tuple:
    """The values one facet takes for one article, canonical and without repeats."""
    article = stored.article
    if spec.kind == "year":
        return (article.year,) if article.year else ()
    if spec.field in ENTITY_FIELDS:
        kind = ENTITY_FIELDS[spec.field]
        names = stored.entities.get(kind, ())
        return tuple(dict.fromkeys(aliases.canonical(kind, name) for name in names))
    value = getattr(article, spec.field, None)
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, tuple):
        return tuple(dict.fromkeys(v for v in value if v))
    return ()


def index_doc(
    stored: StoredArticle,
    facets: tuple[FacetSpec, ...],
    aliases: AliasTable,
    analyzed: tuple[Terms, Terms] | None = None,
) -> IndexDoc:
    """``analyzed``: (title terms, body terms) when an import worker already computed them."""
    article = stored.article
    title_terms, body_terms = analyzed or (terms(article.title), terms(article.content))
    return IndexDoc(
        id=article.id,
        seq=stored.seq,
        rev=stored.rev,
        title=article.title,
        content=article.content,
        date=article.date,
        year=article.year,
        source=article.source,
        url=article.url,
        author=article.author,
        facets={spec.name: facet_values(stored, spec, aliases) for spec in facets},
        title_terms=title_terms,
        body_terms=body_terms,
    )
