"""Routes: the search page (and its htmx fragment), the article page, their JSON twins."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
)

from archive.api import Archive, ArticleView
from archive.backends.base import BackendUnavailable
from archive.highlight import highlight, matcher
from archive.models import SearchResult
from archive.query import parse
from archive.web.i18n import LANGUAGE_COOKIE, language
from archive.web.state import (
    SearchState,
    article_url,
    chips,
    entity_groups,
    external_url,
    facet_views,
    hit_views,
    last_page,
    local_path,
    page_links,
    similar_views,
)

blueprint = Blueprint("archive", __name__)


def _archive() -> Archive:
    return current_app.extensions["archive"]


def _search(state: SearchState) -> SearchResult:
    archive = _archive()
    size = archive.settings.page_size
    return archive.search(
        state.q, state.filters, sort=state.sort, limit=size, offset=(state.page - 1) * size
    )


def _lang() -> str:
    return language(request.cookies.get(LANGUAGE_COOKIE))


def _is_fragment_request() -> bool:
    """htmx asks for the results only; history restores and boosted links want the page."""
    return (
        request.headers.get("HX-Request") == "true"
        and not request.headers.get("HX-History-Restore-Request")
        and not request.headers.get("HX-Boosted")
    )


@blueprint.get("/")
def search_page() -> str | Response:
    archive = _archive()
    facets = archive.settings.facets
    lang = _lang()
    state = SearchState.from_args(request.args, facets)
    result = _search(state)
    fragment = _is_fragment_request()
    context: dict[str, Any] = {
        "state": state,
        "result": result,
        "hits": hit_views(state, result.hits),
        "facets": facet_views(state, result, facets, lang),
        "chips": chips(state, facets, lang),
        "pages": page_links(state, result.total, archive.settings.page_size),
        "last_page": last_page(result.total, archive.settings.page_size),
        "first_number": (state.page - 1) * archive.settings.page_size + 1,
        "last_number": (state.page - 1) * archive.settings.page_size + len(result.hits),
        "clear_url": state.cleared().url(),
        "sort_urls": {s: state.with_sort(s).url() for s in ("relevance", "newest", "oldest")},
        "suggestion_urls": [(s, SearchState(q=s).url()) for s in result.suggestions],
        "fragment": fragment,
    }
    template = "_results.html" if fragment else "search.html"
    response = Response(render_template(template, **context))
    response.headers["Vary"] = "HX-Request, Cookie"
    if fragment:  # the address bar shows the state's one canonical URL
        response.headers["HX-Push-Url"] = state.url()
    return response


@blueprint.get("/api/search")
def search_api() -> Response:
    archive = _archive()
    state = SearchState.from_args(request.args, archive.settings.facets)
    limit = request.args.get("limit", type=int)
    offset = request.args.get("offset", type=int)
    if limit is None and offset is None:
        return jsonify(_search(state).to_json())
    result = archive.search(
        state.q,
        state.filters,
        sort=state.sort,
        limit=limit if limit is not None else archive.settings.page_size,
        offset=offset or 0,
    )
    return jsonify(result.to_json())


def _article_or_404(article_id: str) -> ArticleView:
    view = _archive().get_article(article_id)
    if view is None:
        abort(404)
    return view


@blueprint.get("/articles/<path:article_id>")
def article_page(article_id: str) -> Response:
    view = _article_or_404(article_id)
    q = request.args.get("q", "")
    parsed = parse(q)
    article = view.stored.article
    match = matcher(parsed)  # one for the page: its paragraphs share their words
    paragraphs = [highlight(p, parsed, match) for p in article.content.split("\n") if p.strip()]
    facets = _archive().settings.facets
    response = Response(
        render_template(
            "article.html",
            article=article,
            paragraphs=paragraphs,
            title_html=highlight(article.title, parsed, match),
            q=q,
            entity_groups=entity_groups(view.facets, facets, _lang()),
            similar=similar_views(_archive().similar(article.id)),
            source_url=external_url(article.url),
            plain_url=article_url(article.id),
            back_url=SearchState(q=q).url(),
        )
    )
    response.headers["Vary"] = "Cookie"
    return response


@blueprint.get("/lang/<code>")
def switch_language(code: str) -> Response:
    """The interface language, a reader's preference (a cookie), not part of a page's URL."""
    response = redirect(local_path(request.args.get("next")), code=303)
    response.set_cookie(
        LANGUAGE_COOKIE, language(code), max_age=365 * 86400, samesite="Lax", httponly=True
    )
    return response


@blueprint.get("/api/articles/<path:article_id>")
def article_api(article_id: str) -> Response:
    view = _article_or_404(article_id)
    article = view.stored.article
    return jsonify(
        {
            "id": article.id,
            "title": article.title,
            "content": article.content,
            "date": article.date,
            "year": article.year,
            "source": article.source,
            "url": article.url,
            "author": article.author,
            "tags": list(article.tags),
            "facets": {name: list(values) for name, values in view.facets.items()},
        }
    )


@blueprint.get("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        backend = _archive().backend.health()
    except BackendUnavailable as error:
        return jsonify({"status": "unavailable", "error": str(error)}), 503
    return jsonify({"status": "ok", "backend": backend}), 200


@blueprint.get("/vendor/htmx.min.js")
def local_htmx() -> Response:
    local = current_app.jinja_env.globals["htmx"]["local"]
    if not local:
        abort(404)
    return send_file(local, mimetype="text/javascript", max_age=86400)


@blueprint.app_errorhandler(BackendUnavailable)
def backend_unavailable(error: BackendUnavailable) -> tuple[Response | str, int]:
    if request.path.startswith("/api/"):
        return jsonify({"error": "search engine unavailable", "detail": str(error)}), 503
    return render_template("error.html", message_key="unavailable", status=503), 503


@blueprint.app_errorhandler(404)
def not_found(error: Exception) -> tuple[Response | str, int]:
    if request.path.startswith("/api/"):
        return jsonify({"error": "not found"}), 404
    return render_template("error.html", message_key="not_found", status=404), 404
