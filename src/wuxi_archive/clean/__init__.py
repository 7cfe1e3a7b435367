"""Stage 2, clean: from a page's lines to its articles, chrome removed.

Each raw line is repaired (mojibake) and stripped of pinyin annotations;
a traditional page is classified through a simplified view of each line
while the original text is kept for the convert stage. The body is the
heaviest block of prose (chrome.py); a newspaper page's block is split into
its articles (split.py); the lines around each body give its headline and
metadata (frame.py, metadata.py, dates.py); the body lines become
paragraphs (paragraphs.py). Every non-empty line ends up in a paragraph or
in `removed` with a reason.
"""
from __future__ import annotations

from ..config import Config
from ..script import detect_script, to_simplified
from ..records import CleanArticle, Fix, Paragraph, RawPage, Removed
from . import lines as L
from .body import Run, article_run, line_kinds, runs
from .chrome import PageLine, line_roles
from .credits import closing_agency
from .dates import date_of_article, page_evidence
from .frame import Frame, read_footer, read_header
from .title import first_line_warning, site_suffix_free
from .html_hints import (add_hidden_removed, apply_markup_dateline, apply_markup_headline, headline_above_body,
                         headline_lines_above, hide_markup_chrome, markup_body, markup_boundaries, markup_dateline,
                         markup_headline, headline_run, publication_dates)
from .lexicon import Lexicon, lexicon_from
from .metadata import (Field, clean_source, closing_byline, is_dateline_only, is_metadata_line, parse_full_date,
                       person_names, read_dateline, read_fields, split_names, strip_title_prefix)
from .mojibake import may_be_garbled, repair_mojibake
from .paragraphs import breaks_lines, build_paragraphs
from .pinyin import strip_pinyin_annotations
from .split import Segment, split_block
from .thread import thread_run
from .utf8_as_gbk import repair_utf8_read_as_gbk

MAX_STAND_IN_HAN = 80       # a page title longer than this is text, not a title to stand in
BODY_TOP = 3                # paragraphs at the body's top where a swallowed dateline may stand
LEFTOVER_WARN_HAN = 100     # prose left outside the article worth an editor's look
# Date bases that are weak evidence: a date read inside the article or under it.
WEAK_DATE_BASES = ("in the article", "a stamp under the article", "explicit in the opening paragraph")


def prepare_lines(page: RawPage, protected: tuple[str, ...]) -> tuple[list[PageLine], str, list[Fix], list[str]]:
    """Repaired, pinyin-free lines with their simplified views; the page's script."""
    fixes: list[Fix] = []
    warnings: list[str] = list(page.warnings)
    texts: list[str] = []
    page_text = "\n".join(page.lines)  # lets mojibake repair use the page's own words
    for number, raw in enumerate(page.lines, 1):
        repaired = raw
        if may_be_garbled(raw):
            # UTF-8 read as GBK first: left in place, its rare characters would
            # look like the other garble to repair_mojibake.
            repaired, utf8_fixes, utf8_warnings = repair_utf8_read_as_gbk(raw, number)
            repaired, mojibake_fixes, mojibake_warnings = repair_mojibake(repaired, number, page_text)
            fixes += utf8_fixes + mojibake_fixes
            warnings += utf8_warnings + mojibake_warnings
        unannotated = strip_pinyin_annotations(repaired)
        text = unannotated.replace("\u3000", " ").strip()
        # Most lines hold no annotation: the same text comes back, nothing to compare.
        if unannotated is not repaired and text != repaired.replace("\u3000", " ").strip():
            fixes.append(Fix(line=number, kind="pinyin", before=repaired.strip(), after=text))
        texts.append(text)
    script = detect_script("".join(texts))
    probes = [to_simplified(t, protected) if script == "traditional" else t for t in texts]
    lines = [PageLine(i + 1, t, p, raw.strip()) for i, (t, p, raw) in enumerate(zip(texts, probes, page.lines))]
    return lines, script, fixes, warnings


def clean_page(page: RawPage, config: Config) -> list[CleanArticle]:
    """Clean one page into its articles (several on a newspaper page)."""
    lexicon = lexicon_from(config)
    lines, script, fixes, warnings = prepare_lines(page, tuple(config.protected_terms))
    # A saved web page's markup: its chrome containers hidden, the headline its title names.
    headline_at, headline = markup_headline(page, lines)
    lines, markup_chrome, markup_warnings = hide_markup_chrome(page, lines, lexicon, keep=headline_at)
    warnings += markup_warnings
    dateline = markup_dateline(page, lines, headline_at)
    roles = markup_boundaries(page, lines, line_roles(lines, lexicon), lexicon, headline_at)
    title_index = next((i for i, p in enumerate(lines) if p.probe), None)
    page_title = page.html_title or (lines[title_index].probe if title_index is not None else None)
    kinds = line_kinds(lines, roles, lexicon)
    found = runs(lines, roles, lexicon, kinds)
    run = article_run(lines, roles, lexicon, found)
    run = thread_run(lines, kinds, lexicon, run) or run
    if run is None:
        return [_empty_article(page, lines, roles, lexicon, script, fixes, warnings, page_title)]
    run = headline_run(page, lines, lexicon, found, run, headline_at)
    start, end = markup_body(page, lines, roles, lexicon, run, headline_at)
    before = [i for i in range(start) if lines[i].probe]
    if before and is_dateline_only(lines[before[-1]].probe):
        start = before[-1]          # a lone `本站讯` line opens the body
    segments = headline_above_body(split_block(lines, roles, (start, end), lexicon), lines, headline_at)
    broken_layout = breaks_lines(lines[start:end + 1])
    warnings += _leftover_warnings(lines, found, run)
    legal_free = [p.probe for p in lines if p.probe and not roles[p.number - 1].why_stop.startswith("copyright")]
    body_text = "\n".join(lines[i].probe for s in segments for i in range(s.start, s.end + 1) if i not in run.inside)
    # A saved web page's <meta> publication dates (pubdate, article:published_time, ...)
    meta_dates = publication_dates(page)
    evidence = page_evidence(legal_free, body_text, meta_dates)
    articles = []
    for k, seg in enumerate(segments):
        lo = 0 if k == 0 else segments[k - 1].end + 1
        at = headline_lines_above(headline_at, lo, seg.start) if k == 0 else []
        header = read_header(lines, roles, lo, seg.start, lexicon, page_title if k == 0 else None,
                             seg.title if seg.title is not None or not at else at[-1])
        if k == 0:
            apply_markup_headline(header, at, headline)
        if k == 0 and run.dateline is not None:
            stamp = lines[run.dateline]
            header.fields.append(Field("date", stamp.probe, where="header", line=stamp.number))
        for label in seg.labels:
            header.reasons[label] = "section label above a headline"
        footer = read_footer(lines, roles, seg.end + 1, lexicon) if k == len(segments) - 1 else Frame()
        body = [lines[i] for i in range(seg.start, seg.end + 1) if i not in run.inside]
        paragraphs, repeats = build_paragraphs(body, lexicon, broken_layout)
        inside = [Removed(lines[i].number, lines[i].raw, why) for i, why in run.inside.items()
                  if seg.start <= i <= seg.end]
        article = _assemble(page.seed, k + 1, len(segments), lines, header, footer, paragraphs, lexicon,
                            evidence, page_title if k == 0 else None, title_index)
        if k == 0:
            apply_markup_dateline(article, header, dateline)
        article.removed = sorted(
            [Removed(lines[i].number, lines[i].raw, why) for i, why in {**header.reasons, **footer.reasons}.items()]
            + repeats + inside, key=lambda r: r.line)
        article.script, article.fixes = script, [f for f in fixes if _within(f.line, article, lo, seg, lines, k, len(segments))]
        article.warnings = list(warnings) + article.warnings
        article.lines = (lines[lo].number, lines[-1].number if k == len(segments) - 1 else lines[seg.end].number)
        articles.append(article)
    _share_page_date(articles)
    add_hidden_removed(articles, lines, markup_chrome)
    return articles


def _within(line: int, article: CleanArticle, lo: int, seg: Segment, lines: list[PageLine], k: int, n: int) -> bool:
    last = len(lines) if k == n - 1 else seg.end + 1
    return lo + 1 <= line <= last


def _assemble(seed: str, part: int, parts: int, lines: list[PageLine], header: Frame, footer: Frame,
              paragraphs: list[Paragraph], lexicon: Lexicon, evidence, page_title: str | None,
              title_index: int | None) -> CleanArticle:
    fields = header.fields + footer.fields
    warnings: list[str] = list(header.warnings)
    title, probe = header.title, header.title_probe
    if title is not None and header.title_line == title_index:
        title, probe = site_suffix_free(title), None
    if title is None:
        title = next((f.value for f in fields if f.kind == "title" and f.value), None)
    # a first line that is a paragraph (a one-line page) is no title to stand in
    if title is None and page_title and not L.is_breadcrumb(page_title) \
            and L.han_count(page_title) <= MAX_STAND_IN_HAN and not L.is_prose(page_title):
        title = site_suffix_free(page_title)
        if title_index is not None and page_title == lines[title_index].probe:
            warnings.append(first_line_warning(title))      # a dump's first line, not a <title>
    if not title:
        title, warnings = seed, warnings + ["no headline found: the seed's name stands in for the title"]
    title = strip_title_prefix(title, lexicon, probe)
    first = next((p.text for p in paragraphs if p.kind == "p"), "")
    # The opening dateline: in the first paragraph or, under a caption, the second; or
    # opening one of the body's first lines, when the page's lines were joined.
    top = _body_top(lines, paragraphs)
    openings = [q.text for q in paragraphs if q.kind == "p"][:2] + top[:BODY_TOP]
    dateline = next((d for text in openings for d in [read_dateline(text)] if d), None)
    found = date_of_article(fields, first, evidence, top)
    source, source_kind = _source_of(fields, found.date, top, dateline.outlet if dateline else None, paragraphs,
                                     lexicon)
    warnings += _weak_evidence(found, source, source_kind)
    authors = [n for f in fields if f.kind in ("author", "photo") for n in person_names(f.value, lexicon)]
    authors += dateline.authors if dateline else []
    authors += [n for p in paragraphs if p.kind in ("p", "caption") for n in closing_byline(p.text, lexicon)]
    if not paragraphs:
        warnings.append("no article text found: every line looked like page chrome")
    return CleanArticle(
        seed=seed, part=part, parts=parts, title=title, paragraphs=paragraphs, subtitle=header.subtitle,
        date=found.date, date_basis=found.basis, source=source,
        authors=_unique(authors), editors=_unique(n for f in fields if f.kind == "editor" for n in person_names(f.value, lexicon)),
        tags=_unique(n for f in fields if f.kind == "tag" for n in split_names(f.value)), warnings=warnings,
    )


# Where a source was read, for the sources read on weak evidence (a warning says so).
WEAK_SOURCES = {"neighbour_source": "a bare name beside the dateline",
                "footer_source": "a name beside a stamp under the article"}


def _source_of(fields: list[Field], date: str | None, top: list[str], outlet: str | None,
               paragraphs: list[Paragraph], lexicon: Lexicon) -> tuple[str | None, str]:
    """The publisher and the kind of evidence it was read from, strongest first: a
    labelled source field; the name in the dateline the date was read from
    (`2024-05-09 22:30·新华社`); a labelled source line the body's top swallowed
    (`来源：中国新闻网`); the outlet of the opening dateline (`新华社北京5月9日电`);
    a bare name beside the dateline (`中時`); the agency closing a bulletin
    (`（万载县统计局）`); last, a name beside a stamp at the foot (`posted @ … 某博主`)."""
    chosen = {f.line for f in fields if f.kind == "date" and date and parse_full_date(f.value) == date}

    def of(kind: str) -> list[tuple[str, str]]:
        return [(f.value, kind) for f in sorted((f for f in fields if f.kind == kind and f.value),
                                               key=lambda f: f.line not in chosen)]

    swallowed = [(f.value, "source") for text in top if is_metadata_line(text, lexicon)
                 for f in read_fields(text, lexicon)[1] if f.kind == "source"]
    closing = [(name, "closing") for p in paragraphs[-2:] for name in [closing_agency(p.text, lexicon)] if name]
    for value, kind in (of("source") + of("dateline_source") + swallowed + [(outlet or "", "outlet")]
                        + of("neighbour_source") + closing + of("footer_source")):
        name = clean_source(value, lexicon) if value else None
        if name:
            return name, kind
    return None, ""


def _weak_evidence(found, source: str | None, source_kind: str) -> list[str]:
    """The cleaning report's warnings for a date or source read on weak evidence."""
    out = []
    if found.date and found.basis.startswith(WEAK_DATE_BASES):
        out.append(f"weak date (日期置信度低): {found.date}, {found.basis}; "
                   "check it and set date: in a sidecar if it is wrong")
    if source and source_kind in WEAK_SOURCES:
        out.append(f"weak source (来源置信度低): 「{source}」 was read from {WEAK_SOURCES[source_kind]}; "
                   "check it and set source: in a sidecar if it is wrong")
    return out


def _body_top(lines: list[PageLine], paragraphs: list[Paragraph]) -> list[str]:
    """The first lines of the body, one by one, those removed inside it too: a dateline
    or source line the body swallowed may be joined into its first paragraph, or
    removed as a short line among share buttons."""
    start = next((p.lines[0] for p in paragraphs if p.lines), None)
    if start is None or not 0 < start <= len(lines) or lines[start - 1].number != start:
        return [p.text for p in paragraphs[:BODY_TOP]]
    end = max(n for p in paragraphs for n in p.lines)
    return [p.probe for p in lines[start - 1:end] if p.probe][:BODY_TOP * 2]


def _unique(names) -> list[str]:
    return list(dict.fromkeys(n for n in names if n))


def _share_page_date(articles: list[CleanArticle]) -> None:
    """On a newspaper page an undated article carries the page's date."""
    dated = [a for a in articles if a.date]
    if len(articles) < 2 or not dated:
        return
    for a in articles:
        if a.date is None:
            a.date = dated[0].date
            a.date_basis = f"date of the page (article {dated[0].part} on the same page: {dated[0].date_basis})"


def _leftover_warnings(lines: list[PageLine], found: list[Run], article: Run) -> list[str]:
    out = []
    for other in found:
        if (other.start, other.end) != (article.start, article.end) and other.weight >= LEFTOVER_WARN_HAN:
            out.append(f"lines {lines[other.start].number}-{lines[other.end].number}: a block of text outside the "
                       "article was removed as chrome; check it is not part of the article")
    return out


def _empty_article(page: RawPage, lines: list[PageLine], roles, lexicon: Lexicon, script: str,
                   fixes: list[Fix], warnings: list[str], page_title: str | None) -> CleanArticle:
    header = read_header(lines, roles, 0, len(lines), lexicon, page_title)
    title = strip_title_prefix(header.title or (site_suffix_free(page_title) if page_title else page.seed), lexicon)
    removed = [Removed(lines[i].number, lines[i].raw, why) for i, why in sorted(header.reasons.items())]
    return CleanArticle(
        seed=page.seed, part=1, title=title, paragraphs=[], script=script, removed=removed, fixes=list(fixes),
        warnings=list(warnings) + ["no article text found: every line looked like page chrome"],
        lines=(1, max(1, len(page.lines))),
    )
