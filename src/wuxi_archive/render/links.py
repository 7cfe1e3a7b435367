"""Where each page of the site lives, as paths relative to the site root.

Templates prefix these with `root` (the way back to the site root from the
page being rendered), so every link stays relative.
"""
from __future__ import annotations

from ..index import SiteIndex


class Links:
    """Site paths of articles, entities and date pages; None for unknown names."""

    def __init__(self, index: SiteIndex) -> None:
        self.index = index

    @staticmethod
    def article(article_id: str) -> str:
        return f"articles/{article_id}.html"

    def _entity(self, folder: str, table: dict, name: str | None) -> str | None:
        entry = table.get(name) if name else None
        return f"{folder}/{entry.slug}.html" if entry else None

    def org(self, name: str | None) -> str | None:
        return self._entity("org", self.index.organisations, name)

    def event(self, name: str | None) -> str | None:
        return self._entity("event", self.index.events, name)

    def person(self, name: str | None) -> str | None:
        return self._entity("person", self.index.people, name)

    def source(self, name: str | None) -> str | None:
        return self._entity("source", self.index.sources, name)

    def tag(self, name: str | None) -> str | None:
        return self._entity("tag", self.index.tags, name)

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
        months = self.index.by_date.get(year)
        if months is None:
            return "date/index.html"
        return self.month(year, month) if month in months else self.year(year)
