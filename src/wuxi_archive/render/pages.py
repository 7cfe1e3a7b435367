"""The home page, article pages and the search page."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..index.related import RelatedLink
from ..records import Article, char_count, summary
from .bodytext import link_first_mentions
from .indexes import listed
from .links import Links
from .pagination import chunks

if TYPE_CHECKING:
    from .context import PageRenderer

HOME_ENTRIES = 8     # organisations and events in the home page's side column
# An article gets a table of contents from its headings when it has this many
# and is this long: a short piece with two subheadings needs none.
TOC_MIN_HEADINGS = 3
TOC_MIN_CHARS = 1500


def render_home(r: PageRenderer) -> None:
    idx = r.index
    counts = {
        "articles": len(idx.articles), "organisations": len(idx.organisations), "events": len(idx.events),
        "people": len(idx.people), "sources": len(idx.sources),
        "years": len(idx.by_date), "undated": len(idx.undated),
    }
    top_orgs = sorted(idx.organisations.values(), key=lambda e: (-len(e.article_ids), e.slug))[:HOME_ENTRIES]
    recent_events = listed([e for e in reversed(idx.events_by_date()) if e.date][:HOME_ENTRIES])
    years = [(year, sum(len(ids) for ids in months.values())) for year, months in idx.by_date.items()]
    # Every article, newest first, over pages of config.page_size: the first page with the
    # counts and side column.
    r.list_pages("index.html", "home.html", chunks(idx.articles, r.config.page_size), [], "articles",
                 first_only={"counts": counts, "top_orgs": top_orgs, "recent_events": recent_events, "years": years})


def entity_targets(links: Links, article: Article) -> list[tuple[str, str]]:
    """Names to link in the body, with their pages: events, organisations and their aliases."""
    targets: list[tuple[str, str]] = []
    for event in article.events:
        path = links.event(event.name)
        if path:
            targets.append((event.name, path))
    for org in article.organisations:
        path = links.org(org.name)
        if path:
            targets += [(name, path) for name in [org.name, *org.aliases]]
    return targets


def render_article(r: PageRenderer, article: Article, links: list[RelatedLink] | None = None) -> None:
    """An article's page; `links` its related list when given (a render worker's index has none)."""
    relpath = r.links.article(article.id)
    links = r.index.related.get(article.id, []) if links is None else links
    related = [(link, r.index.by_id[link.article_id]) for link in links]
    date = article.clean.date
    crumbs = [("首页", "index.html"), ("按日期", "date/index.html")]
    if date:
        crumbs += [(f"{date[:4]}年", r.links.year(date[:4])),
                   (f"{int(date[5:7])}月", r.links.month(date[:4], date[5:7]))]
    else:
        crumbs.append(("日期不详", "date/undated.html"))
    crumbs.append((article.clean.title, None))
    before, after = (r.index.by_id[i] if i else None for i in r.index.neighbours(article.id))

    r.page(relpath, "article.html", crumbs=crumbs, derive=article_text, article=article, related=related,
           before=before, after=after)


def article_text(context: dict[str, object], links: Links) -> dict[str, object]:
    """What an article page shows made from its article's text: its body with the first
    mention of each name linked, its length, contents and description (made for a page
    rendered only, where it renders: page_templates.PageJob)."""
    article = context["article"]
    assert isinstance(article, Article)
    paragraphs = article.clean.paragraphs
    body = link_first_mentions(paragraphs, entity_targets(links, article), "../")
    return {"body": [(p.kind, html) for p, html in zip(paragraphs, body)], "chars": char_count(article),
            "toc": table_of_contents(article), "description": summary(article)}


def table_of_contents(article: Article) -> list[tuple[int, str]]:
    """(paragraph index, heading) of each heading of a long article; [] for a short one."""
    paragraphs = article.clean.paragraphs
    headings = [(n, p.text) for n, p in enumerate(paragraphs) if p.kind == "h"]
    if len(headings) < TOC_MIN_HEADINGS or sum(len(p.text) for p in paragraphs) < TOC_MIN_CHARS:
        return []
    return headings


def render_articles(r: PageRenderer) -> None:
    for article in r.index.articles:
        render_article(r, article)


def render_article_pages(r: PageRenderer, ids: Iterable[str], related: Iterable[list[RelatedLink]]) -> None:
    for article_id, links in zip(ids, related):
        render_article(r, r.index.by_id[article_id], links)


def render_search_page(r: PageRenderer) -> None:
    """search.html: it loads the search index's shards a query needs itself (static/search.js)."""
    r.page("search.html", "search.html", crumbs=[("首页", "index.html"), ("搜索", None)])


def render_not_found(r: PageRenderer) -> None:
    """404.html: served for a missing path at any depth, so its links cannot be relative;
    they start at base_url, or at the server's root without one (as `serve` serves the site)."""
    r.page("404.html", "404.html", crumbs=[("首页", "index.html"), ("页面未找到", None)],
           root=f"{r.config.base_url}/" if r.config.base_url else "/")
