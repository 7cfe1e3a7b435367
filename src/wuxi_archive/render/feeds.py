"""Atom feed of the newest articles and a sitemap; no build timestamps, so rebuilds are identical."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from html import escape

from ..config import Config
from ..index import SiteIndex
from ..records import Article, summary

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
EPOCH = "1970-01-01T00:00:00Z"


def _url(config: Config, path: str) -> str:
    """Absolute when the site's base URL is configured, else relative to the site root."""
    return f"{config.base_url}/{path}" if config.base_url else path


def _serialise(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def feed_articles(index: SiteIndex, config: Config) -> list[Article]:
    """The newest dated articles (an Atom entry must carry a date)."""
    return [a for a in index.articles if a.clean.date][: config.feed_entries]


def atom_feed(index: SiteIndex, config: Config) -> str:
    """The feed of feed_articles, each with the opening of its body."""
    entries = feed_articles(index, config)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = config.site_title
    ET.SubElement(feed, f"{{{ATOM}}}subtitle").text = config.site_description
    ET.SubElement(feed, f"{{{ATOM}}}id").text = _url(config, "feed.xml") if config.base_url else "urn:wuxi-archive:feed"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = f"{entries[0].clean.date}T00:00:00Z" if entries else EPOCH
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": _url(config, "feed.xml")})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": _url(config, "index.html")})
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = config.site_title
    for a in entries:
        c = a.clean
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = c.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:wuxi-archive:article:{a.id}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = f"{c.date}T00:00:00Z"
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": _url(config, f"articles/{a.id}.html")})
        for name in c.authors:
            ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = name
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = summary(a, 140)
    return _serialise(feed)


# The most URLs one sitemap file may list (the sitemap protocol's limit); a test lowers it.
SITEMAP_URLS = 50_000


def sitemap_files(paths: list[str]) -> list[list[str]]:
    """The site's pages (sorted, each once) in runs for sitemap-1.xml, sitemap-2.xml, ...:
    at 100,000 articles a site has about 250,000 pages."""
    ordered = sorted(set(paths))
    return [ordered[i:i + SITEMAP_URLS] for i in range(0, len(ordered), SITEMAP_URLS)] or [[]]


def sitemap_file_path(number: int) -> str:
    return f"sitemap-{number}.xml"


def _loc(config: Config, path: str) -> str:
    # &, < and > as ElementTree escapes text (not xml.sax.saxutils: it imports urllib.request)
    return f"<loc>{escape(_url(config, path), quote=False)}</loc>"


def sitemap(paths: list[str], config: Config) -> str:
    """One sitemap file of `paths`, as ElementTree writes it indented, but written out: a rebuild
    after a new page writes it again, and building 25,000 elements to serialise them took a tenth
    of a second. Its URLs must be absolute: made only with config.base_url (render.write_sitemap)."""
    head = f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{SITEMAP}"'
    if not paths:
        return head + " />\n"
    urls = "".join(f"  <url>\n    {_loc(config, path)}\n  </url>\n" for path in sorted(set(paths)))
    return f"{head}>\n{urls}</urlset>\n"


def sitemap_index(files: list[str], config: Config) -> str:
    """sitemap.xml: the sitemap index listing the sitemap files (site paths), no lastmod
    (no build timestamps)."""
    entries = "".join(f"  <sitemap>\n    {_loc(config, path)}\n  </sitemap>\n" for path in files)
    return f'<?xml version="1.0" encoding="utf-8"?>\n<sitemapindex xmlns="{SITEMAP}">\n{entries}</sitemapindex>\n'
