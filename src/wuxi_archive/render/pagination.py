"""Splitting a long list over pages, and where each page of a list lives.

The first page keeps the list's own path, so links made before lists were
paginated stay valid. Page n (n >= 2) of `<folder>/index.html` is
`<folder>/page-n.html`; of `<folder>/<name>.html` it is
`<folder>/<name>/page-n.html` (beside an entity's year pages). Slugs and
article ids never read `page-n` (index/slugs.py, seed_ids.py), so no page
of a list can be another page.
"""
from __future__ import annotations

from typing import NamedTuple, Sequence, TypeVar

T = TypeVar("T")
Group = tuple[str, list]            # a label and the items filed under it

# How many page numbers the nav shows on each side of the current page
# (the first and last are always shown): a list of 1,000 pages stays a short nav.
NAV_SPAN = 2


def page_path(first: str, number: int) -> str:
    """The site path of page `number` (1-based) of the list whose first page is `first`."""
    if number == 1:
        return first
    folder, slash, name = first.rpartition("/")
    stem = name[:-len(".html")] if name.endswith(".html") else name
    if stem == "index":
        return f"{folder}{slash}page-{number}.html"
    return f"{folder}{slash}{stem}/page-{number}.html"


class Pager(NamedTuple):
    """Where one page stands in its list: its number, how many pages, the first page's path.
    (A tuple: plain data to a page's digest, which JSON writes without a hook.)"""

    first: str
    number: int
    count: int

    def path(self, number: int) -> str:
        return page_path(self.first, number)

    @property
    def relpath(self) -> str:
        return self.path(self.number)

    @property
    def prev(self) -> str | None:
        return self.path(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.path(self.number + 1) if self.number < self.count else None

    def numbers(self) -> list[int | None]:
        """The page numbers the nav shows, None where it skips some."""
        shown = sorted({1, self.count, *range(max(1, self.number - NAV_SPAN),
                                              min(self.count, self.number + NAV_SPAN) + 1)})
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out

    def as_key(self) -> list:
        """What of the pager a page shows (its nav): for page keys."""
        return [self.first, self.number, self.count]


def chunks(items: Sequence[T], size: int) -> list[list[T]]:
    """`items` in runs of `size`; one empty run for no items (a list page says it is empty)."""
    if size < 1:
        raise ValueError(f"page size must be a positive whole number, not {size}")
    return [list(items[i:i + size]) for i in range(0, len(items), size)] or [[]]


def grouped_chunks(groups: Sequence[Group], size: int) -> list[list[Group]]:
    """Grouped items (a label, its items) in pages of `size` items: a group split over two
    pages is continued under its label on the next."""
    flat = [(label, item) for label, items in groups for item in items]
    pages: list[list[Group]] = []
    for run in chunks(flat, size):
        page: list[Group] = []
        for label, item in run:
            if page and page[-1][0] == label:
                page[-1][1].append(item)
            else:
                page.append((label, [item]))
        pages.append(page)
    return pages
