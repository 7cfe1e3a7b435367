"""Stage 6, render: Jinja2 templates and static assets into a site.

Every link is relative (each page knows its depth and prefixes `root`),
so the site works opened from disk and from any sub-path of a server.
"""
from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..config import Config
from ..index import SiteIndex
from .writer import SiteWriter


def asset_dir(name: str) -> Path:
    """`templates` or `static`: inside the installed package, else the checkout."""
    packaged = Path(__file__).resolve().parent.parent / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"cannot find the {name}/ folder of wuxi-archive")


def make_environment(templates: Path | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates or asset_dir("templates"))),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def _root(relpath: str) -> str:
    depth = relpath.count("/")
    return "../" * depth


def render_site(index: SiteIndex, config: Config, writer: SiteWriter, env: Environment | None = None) -> None:
    """Render every page of the site into `writer`."""
    env = env or make_environment()

    def page(relpath: str, template: str, **context: object) -> None:
        html = env.get_template(template).render(root=_root(relpath), site=config, index=index, **context)
        writer.write(relpath, html)

    page("index.html", "home.html", articles=index.articles)
    for article in index.articles:
        page(f"articles/{article.id}.html", "article.html", article=article)
    records = [a.to_json() for a in sorted(index.articles, key=lambda a: a.id)]
    writer.write("data/articles.json", json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    writer.copy_tree(asset_dir("static"), "static")
