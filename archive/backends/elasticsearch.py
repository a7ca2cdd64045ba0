"""Elasticsearch: the engine for archives that outgrow one machine.

It indexes the project's analyzer terms with the core ``whitespace`` analyzer (no plugins,
design principle 3) into a versioned index behind an alias: ``archive reindex`` builds a new
index from the store and swaps the alias atomically, so searches never see a gap.

Facets are aggregations under ``filter`` aggregations that apply every selection except the
facet's own, while ``post_filter`` applies them all to the hits: the usual multi-select facet
semantics, identical to the embedded engine's.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Sequence
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers
from elasticsearch import ConnectionError as ESConnectionError

from archive.backends.base import BackendUnavailable, IndexDoc, IndexReport
from archive.config import FacetSpec, Settings
from archive.highlight import snippets
from archive.models import FacetCount, Hit, SearchRequest, SearchResult
from archive.query import ParsedQuery, Phrase, Term
from archive.store import Store

# Field boosts: title above body, exact form above stem above alternative reading (the same
# weights as the embedded engine's bm25 columns).
BOOSTS = {
    "title_exact": 8.0,
    "title_stem": 4.0,
    "title_alt": 2.0,
    "body_exact": 2.0,
    "body_stem": 1.0,
    "body_alt": 0.5,
}
EXACT_FIELDS = ("title_exact", "body_exact")
STEM_FIELDS = ("title_stem", "body_stem")
READING_FIELDS = ("title_stem", "title_alt", "body_stem", "body_alt")
MAX_PHRASE_VARIANTS = 8
MAX_WINDOW = 10_000  # from + size beyond this walks with search_after
BULK_CHUNK = 500

_UNAVAILABLE = (ESConnectionError, TransportError)


def _terms_field(spec: FacetSpec) -> str:
    return f"facet_{spec.name}"


def mappings(facets: tuple[FacetSpec, ...]) -> dict[str, Any]:
    analyzed = {"type": "text", "analyzer": "whitespace", "similarity": "BM25"}
    properties: dict[str, Any] = {
        "id": {"type": "keyword"},
        "rev": {"type": "long"},
        "title": {"type": "text", "index": False},
        "content": {"type": "text", "index": False},
        "date": {"type": "date", "format": "strict_date_optional_time"},
        "year": {"type": "integer"},
        "source": {"type": "keyword"},
        "url": {"type": "keyword", "index": False, "doc_values": False},
        "author": {"type": "text", "index": False},
        **{name: dict(analyzed) for name in BOOSTS},
    }
    for name in ("title_alt", "body_alt"):
        properties[name]["index_options"] = "freqs"  # no phrases over alternative readings
    for spec in facets:
        if spec.kind == "terms":
            properties[_terms_field(spec)] = {"type": "keyword"}
    return {"dynamic": "strict", "properties": properties}


# --- query compilation -----------------------------------------------------------------------


def _term_query(term: Term) -> dict[str, Any]:
    should: list[dict[str, Any]] = []
    if term.prefix:
        should += [{"prefix": {f: {"value": term.exact, "boost": BOOSTS[f]}}} for f in EXACT_FIELDS]
        should += [
            {"prefix": {f: {"value": term.stems[0], "boost": BOOSTS[f]}}} for f in STEM_FIELDS
        ]
    else:
        should += [{"term": {f: {"value": term.exact, "boost": BOOSTS[f]}}} for f in EXACT_FIELDS]
        should += [
            {"term": {f: {"value": stem, "boost": BOOSTS[f]}}}
            for stem in term.stems
            for f in READING_FIELDS
        ]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _phrase_query(phrase: Phrase) -> dict[str, Any]:
    exact = " ".join(t.exact for t in phrase.terms)
    should = [{"match_phrase": {f: {"query": exact, "boost": BOOSTS[f]}}} for f in EXACT_FIELDS]
    variants = itertools.islice(
        itertools.product(*(t.stems for t in phrase.terms)), MAX_PHRASE_VARIANTS
    )
    for stems in variants:
        should += [
            {"match_phrase": {f: {"query": " ".join(stems), "boost": BOOSTS[f]}}}
            for f in STEM_FIELDS
        ]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _clause(clause: Term | Phrase) -> dict[str, Any]:
    return _phrase_query(clause) if isinstance(clause, Phrase) else _term_query(clause)


def compile_query(parsed: ParsedQuery) -> dict[str, Any]:
    must = [
        {"bool": {"should": [_clause(c) for c in group], "minimum_should_match": 1}}
        for group in parsed.must
    ]
    must_not = [_clause(c) for c in parsed.must_not]
    if not must and not must_not:
        return {"match_all": {}}
    return {"bool": {"must": must or [{"match_all": {}}], "must_not": must_not}}


def facet_filter(spec: FacetSpec, values: Sequence[str]) -> dict[str, Any]:
    if spec.kind == "year":
        years = [int(v) for v in values if str(v).isdigit()]
        return {"terms": {"year": years}} if years else {"match_none": {}}
    return {"terms": {_terms_field(spec): list(values)}}


# --- the backend -----------------------------------------------------------------------------


class ElasticsearchBackend:
    name = "elasticsearch"
    shares_store_transaction = False

    def __init__(
        self, store: Store, settings: Settings, client: Elasticsearch | None = None
    ) -> None:
        self.store = store
        self.alias = settings.es_index
        self.facets = settings.facets
        self.snippet_words = settings.snippet_words
        self.timeout = settings.es_timeout
        self.client = client or Elasticsearch(
            settings.es_url,
            request_timeout=settings.es_timeout,
            retry_on_timeout=True,
            max_retries=2,
            retry_on_status=(502, 503, 504),
        )
        self._ready = False

    # --- index lifecycle ----------------------------------------------------------------------

    def _call(self, action: str, function: Any, *args: Any, **kwargs: Any) -> Any:
        """Run one client call, turning "cannot reach / cannot answer" into BackendUnavailable."""
        try:
            return function(*args, **kwargs)
        except _UNAVAILABLE as error:
            raise BackendUnavailable(f"Elasticsearch {action} failed: {error}") from error
        except ApiError as error:
            if error.status_code >= 500 or error.status_code == 429:
                raise BackendUnavailable(f"Elasticsearch {action}: {error}") from error
            raise

    def _template(self) -> None:
        self._call(
            "template",
            self.client.indices.put_index_template,
            name=f"{self.alias}-template",
            index_patterns=[f"{self.alias}-v*"],
            template={
                "settings": {
                    "number_of_shards": 1,
                    "number_of_replicas": 0,
                    "refresh_interval": "1s",
                },
                "mappings": mappings(self.facets),
            },
            priority=200,
        )

    def _new_index(self) -> str:
        self._template()
        name = f"{self.alias}-v{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 1_000_000:06d}"
        self._call("create index", self.client.indices.create, index=name)
        return name

    def ensure_index(self) -> None:
        """Create the template, a first index and the alias, once."""
        if self._ready:
            return
        exists = self._call("alias check", self.client.indices.exists_alias, name=self.alias)
        if not exists:
            index = self._new_index()
            self._call("alias", self.client.indices.put_alias, index=index, name=self.alias)
        self._ready = True

    # --- writing ------------------------------------------------------------------------------

    def _action(self, doc: IndexDoc, index: str) -> dict[str, Any]:
        source: dict[str, Any] = {
            "id": doc.id,
            "rev": doc.rev,
            "title": doc.title,
            "content": doc.content,
            "date": doc.date,
            "year": doc.year,
            "source": doc.source,
            "url": doc.url,
            "author": doc.author,
            "title_exact": doc.title_terms.exact,
            "title_stem": doc.title_terms.stem,
            "title_alt": doc.title_terms.alt,
            "body_exact": doc.body_terms.exact,
            "body_stem": doc.body_terms.stem,
            "body_alt": doc.body_terms.alt,
        }
        for spec in self.facets:
            if spec.kind == "terms":
                source[_terms_field(spec)] = [str(v) for v in doc.facets.get(spec.name, ())]
        return {
            "_index": index,
            "_id": doc.id,
            "version": doc.rev,
            "version_type": "external_gte",
            "_source": source,
        }

    def _bulk(self, actions: Iterable[dict[str, Any]]) -> IndexReport:
        report = IndexReport()
        try:
            for ok, item in helpers.streaming_bulk(
                self.client,
                actions,
                chunk_size=BULK_CHUNK,
                max_retries=5,
                initial_backoff=1,
                max_backoff=30,
                raise_on_error=False,
                raise_on_exception=False,
            ):
                if ok:
                    report.indexed += 1
                    continue
                detail = next(iter(item.values()))
                error = detail.get("error", {})
                reason = error.get("reason", str(error)) if isinstance(error, dict) else str(error)
                if detail.get("status") == 409:  # a newer revision is already there
                    report.indexed += 1
                    continue
                report.errors.append((str(detail.get("_id")), reason))
        except _UNAVAILABLE as error:
            raise BackendUnavailable(f"Elasticsearch bulk indexing failed: {error}") from error
        return report

    def index(self, docs: Sequence[IndexDoc]) -> IndexReport:
        self.ensure_index()
        return self._bulk(self._action(doc, self.alias) for doc in docs)

    def delete(self, ids: Sequence[str]) -> None:
        self.ensure_index()
        self._bulk({"_op_type": "delete", "_index": self.alias, "_id": i} for i in ids)

    def rebuild(self, batches: Iterable[Sequence[IndexDoc]]) -> IndexReport:
        """Index everything into a new index, then swap the alias in one atomic action."""
        index = self._new_index()
        self._call(
            "settings",
            self.client.indices.put_settings,
            index=index,
            settings={"refresh_interval": "-1"},
        )
        report = self._bulk(self._action(doc, index) for batch in batches for doc in batch)
        self._call(
            "settings",
            self.client.indices.put_settings,
            index=index,
            settings={"refresh_interval": "1s"},
        )
        self._call("refresh", self.client.indices.refresh, index=index)
        old = (
            list(
                self._call(
                    "aliases",
                    self.client.indices.get_alias,
                    name=self.alias,
                    ignore_unavailable=True,
                )
                or {}
            )
            if self._alias_exists()
            else []
        )
        actions: list[dict[str, Any]] = [{"remove": {"index": i, "alias": self.alias}} for i in old]
        actions.append({"add": {"index": index, "alias": self.alias}})
        self._call("swap alias", self.client.indices.update_aliases, actions=actions)
        for stale in old:
            self._call("delete old index", self.client.indices.delete, index=stale)
        self._ready = True
        return report

    def _alias_exists(self) -> bool:
        return bool(self._call("alias check", self.client.indices.exists_alias, name=self.alias))

    def refresh(self) -> None:
        self.ensure_index()
        self._call("refresh", self.client.indices.refresh, index=self.alias)

    # --- reading ------------------------------------------------------------------------------

    def revisions(self) -> dict[str, int]:
        self.ensure_index()
        self.refresh()
        try:
            return {
                hit["_id"]: hit["_source"]["rev"]
                for hit in helpers.scan(
                    self.client,
                    index=self.alias,
                    _source=["rev"],
                    query={"query": {"match_all": {}}},
                    size=5000,
                )
            }
        except _UNAVAILABLE as error:
            raise BackendUnavailable(f"Elasticsearch scan failed: {error}") from error

    def health(self) -> dict[str, object]:
        health = self._call(
            "health",
            self.client.options(request_timeout=self.timeout, max_retries=0).cluster.health,
        )
        self.ensure_index()
        count = self._call("count", self.client.count, index=self.alias)["count"]
        return {
            "engine": self.name,
            "status": health["status"],
            "documents": count,
            "index": self.alias,
        }

    def close(self) -> None:
        self.client.close()

    def search(self, request: SearchRequest, parsed: ParsedQuery) -> SearchResult:
        started = time.perf_counter()
        self.ensure_index()
        by_name = {spec.name: spec for spec in self.facets}
        filters = {
            name: facet_filter(by_name[name], values)
            for name, values in request.filters.items()
            if values and name in by_name
        }
        aggs: dict[str, Any] = {}
        for spec in self.facets:
            others = [f for name, f in filters.items() if name != spec.name]
            inner = (
                {
                    "date_histogram": {
                        "field": "date",
                        "calendar_interval": "year",
                        "min_doc_count": 1,
                        "format": "yyyy",
                    }
                }
                if spec.kind == "year"
                else {
                    "terms": {
                        "field": _terms_field(spec),
                        "size": spec.max_size,
                        "order": [{"_count": "desc"}, {"_key": "asc"}],
                    }
                }
            )
            aggs[spec.name] = {"filter": {"bool": {"filter": others}}, "aggs": {"values": inner}}
        body: dict[str, Any] = {
            "query": compile_query(parsed),
            "post_filter": {"bool": {"filter": list(filters.values())}},
            "aggs": aggs,
            "sort": self._sort(request, parsed),
            "track_total_hits": True,
            "_source": [
                "id",
                "title",
                "content",
                "date",
                "year",
                "source",
                "url",
                *(_terms_field(s) for s in self.facets if s.kind == "terms"),
            ],
        }
        response = self._page(body, request)
        total = response["hits"]["total"]["value"]
        facets = {
            spec.name: self._facet_counts(spec, response["aggregations"][spec.name])
            for spec in self.facets
        }
        raws = response["hits"]["hits"]
        texts = snippets(
            [raw["_source"].get("content", "") for raw in raws], parsed, self.snippet_words
        )
        hits = [self._hit(raw, text) for raw, text in zip(raws, texts, strict=True)]
        return SearchResult(
            total=total, hits=hits, facets=facets, took_ms=(time.perf_counter() - started) * 1000
        )

    def _sort(self, request: SearchRequest, parsed: ParsedQuery) -> list[Any]:
        if request.sort == "relevance" and parsed.must:
            return ["_score", {"id": "asc"}]
        order = "asc" if request.sort == "oldest" else "desc"
        return [{"date": {"order": order, "missing": "_last"}}, {"id": "asc"}]

    def _page(self, body: dict[str, Any], request: SearchRequest) -> dict[str, Any]:
        """One page of hits; past the 10,000-hit window, walk there with search_after."""
        search = self.client.options(request_timeout=self.timeout, max_retries=0).search
        if request.offset + request.limit <= MAX_WINDOW:
            return self._call(
                "search", search, index=self.alias, from_=request.offset, size=request.limit, **body
            )
        skip, after = request.offset, None
        walk = {k: v for k, v in body.items() if k not in ("aggs", "_source", "track_total_hits")}
        while skip > 0:
            step = min(skip, MAX_WINDOW)
            extra = {"search_after": after} if after is not None else {}
            chunk = self._call(
                "search",
                search,
                index=self.alias,
                size=step,
                **walk,
                **extra,
                _source=False,
                track_total_hits=False,
            )["hits"]["hits"]
            if len(chunk) < step:  # the page lies past the last hit: counts, no hits
                return self._call("search", search, index=self.alias, size=0, **body)
            after = chunk[-1]["sort"]
            skip -= step
        extra = {"search_after": after} if after is not None else {}
        return self._call("search", search, index=self.alias, size=request.limit, **body, **extra)

    def _facet_counts(self, spec: FacetSpec, agg: dict[str, Any]) -> list[FacetCount]:
        buckets = agg["values"]["buckets"]
        if spec.kind == "year":
            return [
                FacetCount(int(b["key_as_string"]), b["doc_count"])
                for b in buckets
                if b["doc_count"]
            ][: spec.max_size]
        return [FacetCount(b["key"], b["doc_count"]) for b in buckets]

    def _hit(self, raw: dict[str, Any], snippet: str) -> Hit:
        source = raw["_source"]
        fields = {spec.field: _terms_field(spec) for spec in self.facets if spec.kind == "terms"}
        return Hit(
            id=source["id"],
            title=source["title"],
            date=source.get("date"),
            year=source.get("year"),
            source=source.get("source", ""),
            url=source.get("url", ""),
            snippet=snippet,
            persons=list(source.get(fields.get("persons", ""), [])),
            organizations=list(source.get(fields.get("organizations", ""), [])),
            score=raw.get("_score"),
        )

    def suggest(self, words: Sequence[str], limit: int = 3) -> list[str]:
        """Did you mean: Elasticsearch's term suggester over the exact-form fields."""
        if not words:
            return []
        self.ensure_index()
        text = " ".join(words)
        response = self._call(
            "suggest",
            self.client.search,
            index=self.alias,
            size=0,
            suggest={
                "text": text,
                **{
                    field: {
                        "term": {
                            "field": field,
                            "suggest_mode": "missing",
                            "sort": "frequency",
                            "max_edits": 2,
                            "min_word_length": 3,
                        }
                    }
                    for field in EXACT_FIELDS
                },
            },
        )
        return _best_corrections(words, response.get("suggest", {}), limit)


def _best_corrections(words: Sequence[str], suggest: dict[str, Any], limit: int) -> list[str]:
    options: dict[str, dict[str, float]] = {w: {} for w in words}
    for entries in suggest.values():
        for entry in entries:
            for option in entry.get("options", []):
                word = entry["text"]
                if word in options:
                    options[word][option["text"]] = max(
                        options[word].get(option["text"], 0), option["freq"]
                    )
    ranked = {w: sorted(c, key=lambda t: -c[t])[:limit] or [w] for w, c in options.items()}
    queries = []
    for choice in itertools.islice(itertools.product(*ranked.values()), limit):
        query = " ".join(choice)
        if query != " ".join(words):
            queries.append(query)
    return queries
