"""The cleaning report: for each article, the raw seed beside what cleaning made of it.

`editor/report.html?id=<id>` shows every line of the article's part of the
seed: kept, removed (struck through, with the reason) or used as metadata;
the repairs made inside kept text (pinyin annotations, converted characters,
mojibake) as a character diff; the warnings. It is one page for every article:
static/report.js fills it from the article's data (render/report_data.py), packed
with others in a compressed shard `editor/data/<n>.js` (render/report_shards.py):
about 4 KB an article where a static page was 27 KB.
`editor/index.html` lists the articles an editor should look at first.
"""
from __future__ import annotations

import pickle
from typing import Callable, Iterator

from jinja2 import Environment
from markupsafe import Markup

from ..page_keys import PageKeys
from ..config import Config
from ..plain import record_digest
from ..records import Article, PreparedArticle
from ..editorial.review import attention
from .chinese import chinese
from .escaping import escaped
from .pagination import Pager, chunks
from .report_data import report_data
from .report_shards import pack_shard, shard_count, shard_of, shard_path
from .writer import SiteWriter

def report_rows_html(entries: list[tuple]) -> Markup:
    """The report index's table rows, one `<tr>` per (article, reasons, removed lines, fixes).

    Made here rather than by a loop in editor_index.html, as raw_lines_html is:
    the index lists every article, and at 10,000 the template loop was a
    fifth of a second of every rebuild. Escaped as the template's autoescape does.
    """
    out = []
    for a, reasons, removed, fixes in entries:
        marked = ' class="attention"' if reasons else ""
        notes = "<ul>" + "".join(f"<li>{escaped(chinese(w))}</li>" for w in reasons) + "</ul>" if reasons else "—"
        aid = escaped(a.id)
        out.append(
            f'    <tr{marked}>\n'
            f'      <td><a href="report.html?id={aid}">{escaped(a.clean.title)}</a><br><code class="meta">{aid}</code></td>\n'
            f'      <td>{escaped(a.clean.date or "日期不详")}</td>\n'
            f'      <td>{removed:d}</td>\n'
            f'      <td>{fixes:d}</td>\n'
            f'      <td>{notes}</td>\n'
            f'    </tr>\n')
    return Markup("".join(out))


def report_order(entries: list[tuple]) -> list[tuple]:
    """Articles needing attention first (most reasons first), then the rest, each by id.
    Each entry is (article, reasons, ...)."""
    return sorted(entries, key=lambda e: (not e[1], -len(e[1]), e[0].id))


def report_crumbs(article: Article | None) -> list[tuple[str, str | None]]:
    """The breadcrumbs of the report page (or of the report index, for None), as every page has them."""
    if article is None:
        return [("首页", "index.html"), ("清理报告", None)]
    return [("首页", "index.html"), ("清理报告", "editor/index.html"), ("文章的清理报告", None)]


REPORT_PAGE = "editor/report.html"
FileMaker = Callable[..., None]     # (relpath, key, function, *args): write the file function(*args) makes


def report_shard(number: int, articles: list[bytes]) -> bytes:
    """The data file of shard `number`: the reports of its articles, each pickled with its
    seed's raw lines (by editor_pages, in this build)."""
    reports = []
    for article, lines in map(pickle.loads, articles):
        reports.append(report_data(article, lines, attention(article, lines)))
    return pack_shard(number, reports)


def _digest(article: Article, prepared: dict[str, PreparedArticle]) -> str:
    made = prepared.get(article.id)
    return made.digest if made else record_digest(article)


def render_editor_pages(articles: list[Article], lines_of: Callable[[str], list[str]],
                        lines_digests: dict[str, str], config: Config, writer: SiteWriter,
                        env: Environment | None = None, keys: PageKeys | None = None,
                        prepared: dict[str, PreparedArticle] | None = None) -> None:
    """Write every article's report data, the page that shows them and the report index
    (editor_pages, all its steps at once)."""
    for _ in editor_pages(articles, lines_of, lines_digests, config, writer, env, keys, prepared):
        pass


def editor_pages(articles: list[Article], lines_of: Callable[[str], list[str]],
                 lines_digests: dict[str, str], config: Config, writer: SiteWriter,
                 env: Environment | None = None, keys: PageKeys | None = None,
                 prepared: dict[str, PreparedArticle] | None = None,
                 make_file: FileMaker | None = None) -> Iterator[None]:
    """Write every article's report data, in shards editor/data/<n>.js (report_shards.py), the
    one page that shows them, editor/report.html, and the report index editor/index.html; a
    step per shard (a chore for a build whose pages render in workers: render/workers.py).
    `make_file(relpath, key, function, *args)` writes the file the function makes (in a worker:
    RenderPool.submit_file); without it, this process makes and writes it.

    With `keys`, a shard whose articles and their raw lines are unchanged is kept from the
    site the previous build wrote instead of made again. `lines_of(seed)` gives a seed's
    raw lines (loading them, and its articles' details, when asked), `lines_digests`
    their digests, which is all an unchanged shard needs.
    """
    from . import make_environment   # the site's environment, shared templates and filters

    env = env or make_environment()
    prepared = prepared or {}
    if make_file is None:
        def make_file(relpath: str, key: str | None, make: Callable[..., bytes], *args: object) -> None:
            writer.write(relpath, make(*args), digest=key)
    shards = shard_count(len(articles))
    members: dict[int, list[Article]] = {}
    for article in sorted(articles, key=lambda a: a.id):
        members.setdefault(shard_of(article.id, shards), []).append(article)
    for number in sorted(members):
        listed, relpath = members[number], shard_path(number)
        key = None
        if keys:
            key = keys.key("report shard", str(shards),
                           *(f"{a.id} {_digest(a, prepared)} {lines_digests.get(a.clean.seed, '')}" for a in listed))
            if writer.keep(relpath, key):
                continue
        # Each article pickled as its lines are loaded: SeedDetails lets an article's details go
        # again when others are loaded, and the shard may be made later, in a worker.
        make_file(relpath, key, report_shard, number,
                  [pickle.dumps((article, lines_of(article.clean.seed)), pickle.HIGHEST_PROTOCOL) for article in listed])
        yield None
    key = keys.key(REPORT_PAGE, str(shards)) if keys else None
    if not (key and writer.keep(REPORT_PAGE, key)):
        writer.write(REPORT_PAGE, env.get_template("report.html").render(
            root="../", relpath=REPORT_PAGE, crumbs=report_crumbs(articles[0] if articles else None), site=config,
            shards=shards,
        ), digest=key)
    yield None
    _write_report_index(articles, lines_of, config, writer, env, keys, prepared)
    yield None


def _write_report_index(articles: list[Article], lines_of: Callable[[str], list[str]], config: Config,
                        writer: SiteWriter, env: Environment, keys: PageKeys | None,
                        prepared: dict[str, PreparedArticle]) -> None:
    """editor/index.html: every report, those needing a look first (kept while what it lists is unchanged)."""
    entries = []
    for a in articles:
        made = prepared.get(a.id)
        if made:
            entries.append((a, made.attention, made.removed_lines, made.fixes))
        else:
            entries.append((a, attention(a, lines_of(a.clean.seed)), len(a.clean.removed), len(a.clean.fixes)))
    ordered = report_order(entries)
    needing = sum(1 for entry in ordered if entry[1])
    pages = chunks(ordered, config.page_size)
    for number, listed in enumerate(pages, 1):
        pager = Pager("editor/index.html", number, len(pages))
        relpath, rows = pager.relpath, report_rows_html(listed)
        crumbs = report_crumbs(None)
        if number > 1:
            crumbs = [*crumbs[:-1], (crumbs[-1][0], pager.first), (f"第 {number} 页", None)]
        # The rows, the counts and the pager are all a page shows besides the template and
        # the config, which the keys cover.
        key = keys.key("report index", rows, str(len(ordered)), str(needing), *map(str, pager.as_key())) if keys else None
        if key and writer.keep(relpath, key):
            continue
        writer.write(relpath, env.get_template("editor_index.html").render(
            root="../", relpath=relpath, crumbs=crumbs, site=config, total=len(ordered), rows=rows,
            needing=needing, pager=pager,
        ), digest=key)
