"""What a saved web page's markup tells the cleaner (records.LineHint per line,
headline candidates, meta dates), used as evidence beside the text rules;
clean_page asks for it here. A text dump carries no hints and none of this
changes it.

- html_chrome: chrome the markup marks is hidden inside the article and a
  boundary of the body outside it, each line with its reason;
- html_headline: the headline the page's title names (or its lone <h1>),
  and the dateline under it;
- html_body: where the article starts (the content container) and the run
  under the headline;
- publication_dates (here): the meta publication dates, strongest first.
"""
from __future__ import annotations

from ..records import RawPage
from .html_body import headline_run, markup_body
from .html_chrome import add_hidden_removed, has_hints, hide_markup_chrome, markup_boundaries
from .html_headline import (apply_markup_dateline, apply_markup_headline, headline_above_body, headline_lines_above,
                            markup_dateline, markup_headline)

__all__ = ["add_hidden_removed", "apply_markup_dateline", "apply_markup_headline", "has_hints", "headline_above_body",
           "headline_lines_above", "headline_run", "hide_markup_chrome", "markup_body", "markup_boundaries",
           "markup_dateline", "markup_headline", "publication_dates"]

# Meta date names, strongest first: the ones that name the article's publication,
# then the generic ones a CMS may stamp with a later date, then a page's first <time>.
_DATE_RANK = ("json-ld:datepublished", "itemprop:datepublished", "datepublished", "article:published_time",
              "og:release_date", "og:time", "publishdate", "publish_date", "publish-date", "pubdate",
              "firstpublishedtime", "datecreated", "dc.date.issued", "dc.date", "date", "time:datetime")


def publication_dates(page: RawPage) -> list[str]:
    """The page's meta publication dates, strongest first (others after, by name)."""
    meta = page.html_meta
    ranked = [meta[k] for k in _DATE_RANK if k in meta]
    rest = [v for k, v in sorted(meta.items()) if k not in _DATE_RANK and ("date" in k or "time" in k)]
    return ranked + rest
