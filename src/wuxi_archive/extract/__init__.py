"""Stage 4, extract: organisations, events and people named in an article.

The rules are general (suffixes, function words, role words and surnames
from data/entities.yaml, aliases from data/aliases.yaml); each module
handles one kind of entity:

- organisations.py: names ending in 有限公司, 大学, 中心 …, their aliases,
  parents and sub-units;
- short_names.py: organisations named without a suffix (当升科技, 华为, ING),
  taken on structural evidence (a subject before a colon, a reporting verb
  or an officer's role; an item of a list of organisations);
- events.py: meetings, forums and ceremonies the article reports, with
  date (dates.py) and place;
- people.py: people named next to a role word or title, and foreign names
  written with · (尼赞·阿隆).
"""
from __future__ import annotations

from ..config import Config
from ..records import LOST_CHARACTER, Article, CleanArticle, Event, Organisation, Person
from .events import find_events
from .lexicon import lexicon_for
from .organisations import find_organisations
from .people import find_people


def article_text(article: CleanArticle) -> str:
    """The text entities are looked for in: title, subtitle and paragraphs, one a line."""
    parts = [article.title, article.subtitle or ""] + [p.text for p in article.paragraphs]
    return "\n".join(part for part in parts if part)


def extract_entities(article: CleanArticle, config: Config) -> Article:
    """The article with the organisations, events and people it names."""
    lex = lexicon_for(config)
    text = article_text(article)
    orgs, mentions = find_organisations(text, lex)
    events = find_events(text, article.date, mentions, lex)
    people = find_people(text, mentions, lex)
    return Article(
        clean=article,
        organisations=[Organisation(name=o.name, aliases=[a for a in o.aliases if _readable(a)],
                                    parent=_or_none(o.parent)) for o in orgs if _readable(o.name)],
        events=[Event(name=e.name, date=e.date, place=_or_none(e.place),
                      organisations=[n for n in e.organisations if _readable(n)])
                for e in events if _readable(e.name)],
        people=[Person(name=p.name, role=_or_none(p.role), organisation=_or_none(p.organisation))
                for p in people if _readable(p.name)],
    )


def _readable(name: str) -> bool:
    """A name without a character garble repair could not read: `无锡□技职业学院` is no name
    to index (it would get a page of its own beside 无锡科技职业学院)."""
    return LOST_CHARACTER not in name


def _or_none(value: str | None) -> str | None:
    return value if value is None or _readable(value) else None
