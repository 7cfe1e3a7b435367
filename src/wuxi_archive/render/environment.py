"""The Jinja environment every page renders in: the build process's and a render worker's."""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .filters import FILTERS


def templates_environment(templates: Path) -> Environment:
    """The environment of the templates in the folder `templates`, with the site's filters."""
    # No bytecode cache: it would load code objects from the cache folder, which holds
    # JSON only so that a restored (or tampered) store can never run code (build/store.py).
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates do not change while a build runs (serve makes an environment per
        # rebuild): no stat of the template file at every get_template, extends and import.
        auto_reload=False,
    )
    env.filters.update(FILTERS)     # before any template is compiled: Jinja checks filters then
    return env
