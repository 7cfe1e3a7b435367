"""Where each page of the site lives, as paths relative to the site root.

Templates prefix these with `root` (the way back to the site root from the
page being rendered), so every link stays relative. Links is plain data
(the slug of every name, the months of every year): a render worker
holds a copy and answers as the build process does.
"""
from __future__ import annotations

from ..index import SiteIndex


class Links:
    """Site paths of articles, entities and date pages; None for unknown names."""

    def __init__(self, slugs: dict[str, dict[str, str]], months: dict[str, frozenset[str]]) -> None:
        self._slugs = slugs          # folder ("org", "event", ...) -> name -> slug
        self._months = months        # year -> the months with a page

    @classmethod
    def of(cls, index: SiteIndex) -> Links:
        return cls({folder: {name: entry.slug for name, entry in table.items()}
                    for folder, table in index.tables().items()},
                   {year: frozenset(months) for year, months in index.by_date.items()})

    @staticmethod
    def article(article_id: str) -> str:
        return f"articles/{article_id}.html"

    def _entity(self, folder: str, name: str | None) -> str | None:
        slug = self._slugs[folder].get(name) if name else None
        return f"{folder}/{slug}.html" if slug is not None else None

    def org(self, name: str | None) -> str | None:
        return self._entity("org", name)

    def event(self, name: str | None) -> str | None:
        return self._entity("event", name)

    def person(self, name: str | None) -> str | None:
        return self._entity("person", name)

    def source(self, name: str | None) -> str | None:
        return self._entity("source", name)

    def tag(self, name: str | None) -> str | None:
        return self._entity("tag", name)

    @staticmethod
    def year(year: str) -> str:
        return f"date/{year}/index.html"

    @staticmethod
    def month(year: str, month: str) -> str:
        return f"date/{year}/{month}/index.html"

    def date(self, iso: str | None) -> str:
        """The page listing a date's articles: its month, else its year, else all dates.

        An event's date may fall in a month no article was published in, so
        only pages that exist are linked; no date at all is the undated list.
        """
        if not iso:
            return "date/undated.html"
        year, month = iso[:4], iso[5:7]
        months = self._months.get(year)
        if months is None:
            return "date/index.html"
        return self.month(year, month) if month in months else self.year(year)
