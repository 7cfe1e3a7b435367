"""The cleaning report: for each article, the raw seed beside what cleaning made of it.

`editor/<id>.html` shows every line of the article's part of the seed: kept,
removed (struck through, with the reason) or used as metadata; the repairs
made inside kept text (pinyin annotations, converted characters, mojibake)
as a character diff; the warnings. `editor/index.html` lists the articles an
editor should look at first.
"""
from __future__ import annotations

import difflib
import operator
import re
from dataclasses import dataclass, field
from itertools import compress, count, groupby
from typing import Callable

from jinja2 import Environment, Template
from markupsafe import Markup

from ..page_keys import PageKeys
from ..config import Config
from ..plain import record_digest
from ..records import Article, Fix, PreparedArticle
from ..editorial.review import attention
from .chinese import chinese
from .escaping import HTML_SPECIAL, escaped
from .pagination import Pager, chunks
from .parallel import EVERY_PAGE, WorkShare
from .writer import SiteWriter

FIX_LABELS = {
    "pinyin": "删除拼音注音",
    "converted": "繁体转简体",
    "mojibake": "修复乱码",
    "mojibake-gap": "乱码部分修复(□ 未能恢复)",
}


@dataclass
class RawRow:
    number: int
    text: str
    status: str                     # "kept", "removed", "meta" or "blank"
    reason: str = ""
    fixes: list[str] = field(default_factory=list)   # kinds of repair made on this line


@dataclass
class FixView:
    line: int
    label: str
    diff: list[tuple[str, str]]     # ("same" | "del" | "ins", text)

    @property
    def diff_html(self) -> Markup:
        """The runs as the report's diff cell shows them: deleted and inserted text marked."""
        # Made here rather than by a loop in editor.html: a converted paragraph has hundreds of
        # runs. Escaped as the template's autoescape would, but only when something needs it.
        runs = self.diff
        if HTML_SPECIAL.search("".join(text for _, text in runs)):
            runs = [(op, escaped(text)) for op, text in runs]
        return Markup("".join([_RUN_FORMATS.get(op, "%s") % text for op, text in runs]))


_RUN_FORMATS = {"del": "<del>%s</del>", "ins": "<ins>%s</ins>"}


def char_diff(before: str, after: str) -> list[tuple[str, str]]:
    """What changed between two texts, character by character, as runs."""
    # difflib is quadratic on long lines; most repairs are pure deletions
    # (pinyin) or same-length substitutions (conversion), diffed in one pass.
    if len(before) == len(after):
        return _substitution_diff(before, after)
    runs = _bracket_deletion_diff(before, after)
    if runs is not None:
        return runs
    runs = _deletion_diff(before, after)
    if runs is not None:
        return runs
    runs = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", before[a1:a2]))
            continue
        if a2 > a1:
            runs.append(("del", before[a1:a2]))
        if b2 > b1:
            runs.append(("ins", after[b1:b2]))
    return runs


def _substitution_diff(before: str, after: str) -> list[tuple[str, str]]:
    # Equal and unequal positions grouped in C (map + groupby), not one index at a time.
    runs: list[tuple[str, str]] = []
    start = 0
    for same, group in groupby(map(operator.eq, before, after)):
        end = start + len(list(group))
        if same:
            runs.append(("same", before[start:end]))
        else:
            runs += [("del", before[start:end]), ("ins", after[start:end])]
        start = end
    return runs


def _deletion_diff(before: str, after: str) -> list[tuple[str, str]] | None:
    """Runs when `after` is `before` with characters taken out, else None."""
    # Greedy: each character of `after` is the first match left in `before`
    # (the per-character loop it replaces is kept in the tests). Done a run
    # at a time, in C: the next kept character found with str.find, the end
    # of a run of kept text as the first position where the texts differ.
    if len(after) > len(before):
        return None
    runs: list[tuple[str, str]] = []
    i = k = 0
    while k < len(after):
        found = before.find(after[k], i)
        if found < 0:
            return None
        if found > i:
            runs.append(("del", before[i:found]))
        kept, rest = before[found:found + len(after) - k], after[k:]
        length = len(rest) if kept == rest else next(compress(count(), map(operator.ne, kept, rest)), len(kept))
        runs.append(("same", kept[:length]))
        i, k = found + length, k + length
    if i < len(before):
        runs.append(("del", before[i:]))
    return runs


# Adjacent bracketed syllables, the shape of the pinyin annotations cleaning
# removes; a proposal only: _bracket_deletion_diff checks it.
_BRACKETED_SYLLABLES = re.compile(r"((?:[(（][a-züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]{1,6}[)）])+)", re.IGNORECASE)


def _bracket_deletion_diff(before: str, after: str) -> list[tuple[str, str]] | None:
    """_deletion_diff's runs when `after` is `before` without its bracketed syllables, else None.

    Most long fixes are pinyin removals with a dozen annotations a line;
    this finds them with one regex split in C rather than a step per run.
    Splitting `before` as S0 D1 S1 … Dn Sn (D the bracketed runs) gives the
    greedy runs exactly when the S join to `after` and no S starts with a
    character of the D before it (else the greedy match would take that
    character inside D); anything else is left to _deletion_diff.
    """
    parts = _BRACKETED_SYLLABLES.split(before)
    if len(parts) == 1 or "".join(parts[0::2]) != after:
        return None
    runs: list[tuple[str, str]] = [("same", parts[0])] if parts[0] else []
    for j in range(1, len(parts), 2):
        deleted, kept = parts[j], parts[j + 1]
        if kept:
            if kept[0] in deleted:
                return None
            runs += [("del", deleted), ("same", kept)]
        else:
            runs.append(("del", deleted))
    return runs


def raw_rows(article: Article, lines: list[str]) -> list[RawRow]:
    """The article's span of seed lines, each with what cleaning did to it."""
    c = article.clean
    removed = {r.line: r.reason for r in c.removed}
    kept = {n for p in c.paragraphs for n in p.lines}
    fixes: dict[int, list[str]] = {}
    for fix in c.fixes:
        fixes.setdefault(fix.line, []).append(FIX_LABELS.get(fix.kind, fix.kind))
    first, last = max(1, c.lines[0]), min(len(lines), max(c.lines[1], c.lines[0]))
    rows = []
    for number in range(first, last + 1):
        text = lines[number - 1]
        if number in removed:
            status = "removed"
        elif number in kept:
            status = "kept"
        else:
            status = "meta" if text.strip() else "blank"
        rows.append(RawRow(number, text, status, removed.get(number, ""), fixes.get(number, [])))
    return rows


def raw_lines_html(rows: list[RawRow]) -> Markup:
    """The report's list of raw lines, `<ol class="raw-lines">` with one `<li>` per row.

    Made here rather than by a loop in editor.html: the template loop was
    most of the time spent rendering a report (a long seed has hundreds of
    lines). Every text is escaped as the template's autoescape does.

    The rows are consecutive seed lines, so the list's `start` numbers them all;
    a `value` on each item made Chromium renumber the list item by item, time
    growing with the square of its length (142 s to open a report of 20,000
    lines; 1 s with `start`).
    """
    start = f' start="{rows[0].number}"' if rows else ""
    out = [f'<ol class="raw-lines"{start}>\n']
    for row in rows:
        out.append(f'    <li id="L{row.number}" class="raw-{row.status}">\n')
        if row.status == "removed":
            out.append(f'<del>{escaped(row.text)}</del> <span class="reason" data-key="{escaped(row.reason)}">— {escaped(chinese(row.reason))}</span>\n')
        else:
            out.append(f'<span class="text">{escaped(row.text)}</span>')
            if row.status == "meta":
                out.append(' <span class="reason">— 标题或元数据</span>')
        out += [f'<span class="fix-tag">{escaped(label)}</span>' for label in row.fixes]
        out.append("    </li>\n")
    out.append("  </ol>")
    return Markup("".join(out))


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
            f'      <td><a href="{aid}.html">{escaped(a.clean.title)}</a><br><code class="meta">{aid}</code></td>\n'
            f'      <td>{escaped(a.clean.date or "日期不详")}</td>\n'
            f'      <td>{removed:d}</td>\n'
            f'      <td>{fixes:d}</td>\n'
            f'      <td>{notes}</td>\n'
            f'    </tr>\n')
    return Markup("".join(out))


def fix_views(fixes: list[Fix]) -> list[FixView]:
    return [FixView(f.line, FIX_LABELS.get(f.kind, f.kind), char_diff(f.before, f.after))
            for f in sorted(fixes, key=lambda f: (f.line, f.kind))]


def report_order(entries: list[tuple]) -> list[tuple]:
    """Articles needing attention first (most reasons first), then the rest, each by id.
    Each entry is (article, reasons, ...)."""
    return sorted(entries, key=lambda e: (not e[1], -len(e[1]), e[0].id))


def report_html(article: Article, lines: list[str], config: Config, page: Template) -> bytes:
    """One cleaning report: the article's span of `lines` (its seed's raw lines) beside it."""
    return page.render(
        root="../", relpath=report_path(article), crumbs=report_crumbs(article), site=config, article=article,
        raw_lines=raw_lines_html(raw_rows(article, lines)),
        fixes=fix_views(article.clean.fixes), reasons=attention(article, lines), raw_count=len(lines),
    ).encode("utf-8")


def report_crumbs(article: Article | None) -> list[tuple[str, str | None]]:
    """The breadcrumbs of a report (or of the report index, for None), as every page has them."""
    if article is None:
        return [("首页", "index.html"), ("清理报告", None)]
    return [("首页", "index.html"), ("清理报告", "editor/index.html"), (article.id, None)]


def report_path(article: Article) -> str:
    return f"editor/{article.id}.html"


def report_key(article: Article, raw_digest: str, keys: PageKeys, prepared: PreparedArticle | None = None) -> str:
    """A report's key: its article's digest (made ahead by the worker, when given)
    and the digest of its seed's raw lines."""
    return keys.key(prepared.digest if prepared else record_digest(article), raw_digest)


def render_editor_pages(articles: list[Article], lines_of: Callable[[str], list[str]],
                        lines_digests: dict[str, str], config: Config, writer: SiteWriter,
                        env: Environment | None = None, keys: PageKeys | None = None,
                        prepared: dict[str, PreparedArticle] | None = None, work: WorkShare = EVERY_PAGE) -> None:
    """Write editor/<id>.html for every article and the report index editor/index.html
    (or, shared with another process, those `work` gives this one).

    With `keys`, a report whose article and raw lines are unchanged is kept
    from the site the previous build wrote instead of rendered again. `lines_of(seed)` gives a seed's raw lines
    (loading them, and its articles' details, when asked), `lines_digests`
    their digests, which is all an unchanged report needs.
    """
    from . import make_environment   # the site's environment, shared templates and filters

    env = env or make_environment()
    page = env.get_template("editor.html")
    prepared = prepared or {}
    for article in work.take(sorted(articles, key=lambda a: a.id), run=8):
        relpath = report_path(article)
        key = None
        if keys:
            key = report_key(article, lines_digests.get(article.clean.seed, ""), keys, prepared.get(article.id))
            if writer.keep(relpath, key):
                continue
        lines = lines_of(article.clean.seed)
        writer.write(relpath, report_html(article, lines, config, page), digest=key)
    if work.take_one():
        _write_report_index(articles, lines_of, config, writer, env, keys, prepared)


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
