"""Site-wide configuration: defaults, the bundled word lists, a user's YAML.

Configuration is loaded once and passed into each stage; no stage reads a
global. The bundled data files (`wuxi_archive/data/*.yaml`) hold every word
list the rules need; a user's config file may extend each of them.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from msgspec import UNSET

from ..data_files import bundled_data
from .safe_yaml import compose_text
from .schema import ConfigFile, decode

DEFAULT_CONFIG_NAME = "wuxi-archive.yaml"


class ConfigError(Exception):
    """A configuration or sidecar file is wrong; the message names file and line."""


@dataclass
class Config:
    site_title: str = "无锡科技新闻档案"
    site_description: str = "无锡科技园区、高校、企业与政府项目的新闻离线档案"
    about_markdown: str = ""
    base_url: str = ""                       # absolute URL for feed/sitemap; relative when empty
    feed_entries: int = 50
    page_size: int = 100                     # items on one page of a list (render/pagination.py)
    aliases: dict[str, str] = field(default_factory=dict)       # alias -> canonical organisation
    protected_terms: list[str] = field(default_factory=list)    # never converted to simplified
    chrome: dict[str, list[str]] = field(default_factory=dict)  # word lists of the cleaner
    entities: dict[str, Any] = field(default_factory=dict)      # word lists of the extractor (data/entities.yaml)
    source_file: str | None = None

    def fingerprint(self) -> str:
        """Hash of everything that changes a build's output (for the cache)."""
        payload = json.dumps(self.__dict__, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def load_config(path: Path | None = None) -> Config:
    """Defaults plus the bundled data, extended by `path` when given."""
    cfg = Config(
        aliases=dict(bundled_data("aliases.yaml").get("aliases", {})),
        protected_terms=list(bundled_data("protected_terms.yaml").get("protected_terms", [])),
        chrome={k: list(v) for k, v in bundled_data("chrome.yaml").items()},
        entities=dict(bundled_data("entities.yaml")),
    )
    if path is None:
        return cfg
    user, chrome_lines = read_config_file(path)
    given = {name: getattr(user, name) for name in ConfigFile.__struct_fields__ if getattr(user, name) is not UNSET}
    cfg.site_title = given.get("site_title", cfg.site_title)
    cfg.site_description = given.get("site_description", cfg.site_description)
    cfg.about_markdown = given.get("about", "")
    cfg.base_url = given.get("base_url", "").rstrip("/")
    cfg.feed_entries = given.get("feed_entries", cfg.feed_entries)
    cfg.page_size = given.get("page_size", cfg.page_size)
    cfg.aliases.update({alias.strip(): canonical.strip() for alias, canonical in user.aliases.items()})
    cfg.protected_terms += [str(word) for word in user.protected_terms]
    for group, words in user.chrome.items():
        if group not in cfg.chrome:
            raise ConfigError(f"{path}:{chrome_lines.get(group, 1)}: chrome.{str(group)[:40]} is not "
                              f"a known word list ({', '.join(sorted(cfg.chrome))})")
        cfg.chrome[group] += [str(word) for word in words]
    cfg.source_file = str(path)
    return cfg


def read_config_file(path: Path) -> tuple[ConfigFile, dict[str, int]]:
    """The user's config checked against its schema (`schema.ConfigFile`), and the line of each
    word list under `chrome:` (whose names the bundled data knows); errors name file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None

    def fail(line: int, message: str) -> ConfigError:
        return ConfigError(f"{path}:{line}: {message}")

    try:
        root, loader = compose_text(text)       # limits on size, nesting, aliases, integers (safe_yaml)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise fail(mark.line + 1 if mark else 1, f"not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if root is None:
        return ConfigFile(), {}
    try:
        user, decoder = decode(root, loader, ConfigFile, "the configuration", fail)
    finally:
        loader.dispose()
    return user, decoder.lines.get(id(user.chrome), {})
