"""One schema for what people write in YAML: the site config and the seeds' sidecars.

Each file is described once, as msgspec Structs whose fields carry their
constraints (`Meta(ge=1)`, a pattern) and, in `Meta(description=...)`, the
allowed values in plain English. `decode` walks the YAML node graph (from
`safe_yaml`, so every value keeps its line) along those types and checks
each value with msgspec; a bad one is an error naming its line, what is
allowed and what was written, never a repr of a whole node. Checks that
need the page or the bundled word lists stay with their callers.
"""
import datetime as dt
import difflib
from typing import Annotated, Any, Callable, Union, get_args, get_origin

import msgspec
import yaml
from msgspec import UNSET, Meta, Struct, UnsetType

from .safe_yaml import LimitedLoader, describe
from ..wording import kind_of

Text = Annotated[str, Meta(pattern=r"\S", description="a non-empty text")]
# A word of a word list: a text or a number (a phone prefix, a year), never empty (it would match everywhere)
Word = Annotated[Union[Annotated[str, Meta(pattern=r"\S")], int, float],
                 Meta(description="a word (a non-empty text or a number)")]
Words = Annotated[list[Word], Meta(description="a list of words, e.g. [头条, 要闻]")]
Name = Annotated[str, Meta(pattern=r"\S", description="a name (aliases map a name to a name; neither may be empty)")]
# Empty (links stay relative) or absolute: a feed reader and a sitemap cannot resolve anything else.
URL = Annotated[str, Meta(pattern=r"^(https?://[^\s/?#]+[^\s]*)?$",
                          description="an absolute http:// or https:// URL (or empty)")]
Date = Annotated[Union[dt.date, None], Meta(description="a date written YYYY-MM-DD (or null)")]
LineNumber = Annotated[int, Meta(ge=1, description="a seed line number (1 or more)")]
LineNumbers = Annotated[list[LineNumber], Meta(description="a list of seed line numbers, e.g. [12, 13]")]
Names = Annotated[Union[Text, list[Text]], Meta(description="a list of names, e.g. [张敏, 刘洋], or [] for none")]
NameList = Annotated[list[Text], Meta(description="a list of names")]
ArticleNumber = Annotated[int, Meta(ge=1, description="an article number (1 or more)")]


class ConfigFile(Struct, forbid_unknown_fields=True):
    """The user's `wuxi-archive.yaml`; every key may be left out."""

    site_title: Union[str, UnsetType] = UNSET
    site_description: Union[str, UnsetType] = UNSET
    about: Union[str, UnsetType] = UNSET
    base_url: Union[URL, UnsetType] = UNSET
    feed_entries: Union[Annotated[int, Meta(ge=1, description="a whole number, 1 or more")], UnsetType] = UNSET
    page_size: Union[Annotated[int, Meta(ge=1, description="a whole number, 1 or more")], UnsetType] = UNSET
    aliases: Annotated[dict[Name, Name], Meta(description="a mapping of alias to organisation")] = {}
    protected_terms: Words = []
    chrome: Annotated[dict[str, Words], Meta(description="a mapping of word list to words")] = {}


class OrganisationFields(Struct, forbid_unknown_fields=True):
    name: Text
    aliases: NameList = []


class EventFields(Struct, forbid_unknown_fields=True):
    name: Text
    date: Date = None
    place: Union[Text, None] = None
    organisations: NameList = []


class ArticleFields(Struct, forbid_unknown_fields=True):
    """What an editor may set for one article, or at a sidecar's top level for all."""

    title: Union[Text, UnsetType] = UNSET
    date: Union[Date, UnsetType] = UNSET
    source: Union[Text, UnsetType] = UNSET
    authors: Union[Names, UnsetType] = UNSET
    editors: Union[Names, UnsetType] = UNSET
    organisations: Union[Annotated[list[Union[Text, OrganisationFields]],
                                   Meta(description="a list of names or {name, aliases}")], UnsetType] = UNSET
    events: Union[Annotated[list[EventFields], Meta(description="a list of {name, date, place, organisations}")],
                  UnsetType] = UNSET
    keep_lines: LineNumbers = []
    drop_lines: LineNumbers = []
    note: Union[Text, UnsetType] = UNSET

    def __post_init__(self) -> None:
        both = sorted(set(self.keep_lines) & set(self.drop_lines))
        if both:
            raise ValueError(f"line {both[0]} is in both keep_lines and drop_lines")


class SidecarFile(ArticleFields, forbid_unknown_fields=True):
    articles: Annotated[dict[ArticleNumber, ArticleFields],
                        Meta(description="a mapping of article number (1, 2, ...) to its fields")] = {}


Fail = Callable[[int, str], Exception]


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def description(kind: Any) -> str:
    """The allowed values of a type, as its Meta describes them (else its kind)."""
    if get_origin(kind) is Annotated:
        found = [m.description for m in kind.__metadata__ if isinstance(m, Meta) and m.description]
        if found:
            return found[0]
    if get_origin(_base(kind)) is Union:     # UNSET, the mark of a key left out, aside
        members = [m for m in get_args(_base(kind)) if m is not UnsetType]
        return " or ".join(dict.fromkeys(description(m) for m in members))
    if get_origin(kind) is Annotated:
        return description(get_args(kind)[0])
    if isinstance(kind, type) and issubclass(kind, Struct):
        return "a mapping of " + ", ".join(kind.__struct_fields__)
    if get_origin(kind) is list:
        return "a list"
    if get_origin(kind) is dict:
        return "a mapping"
    return kind_of(kind) if isinstance(kind, type) else "a value"


def _base(kind: Any) -> Any:
    return get_args(kind)[0] if get_origin(kind) is Annotated else kind


def _members(kind: Any) -> list[Any]:
    """The types a value may take (a Union's members, without UNSET)."""
    base = _base(kind)
    if get_origin(base) is Union:
        return [m for member in get_args(base) if member is not UnsetType for m in _members(member)]
    return [kind]


def _is_struct(kind: Any) -> bool:
    return isinstance(_base(kind), type) and issubclass(_base(kind), Struct)


class Decoder:
    """Turns YAML nodes into checked values of a schema type, keeping each key's line."""

    def __init__(self, loader: LimitedLoader, fail: Fail) -> None:
        self.loader, self.fail = loader, fail
        self.lines: dict[int, dict[Any, int]] = {}      # id(struct or dict) -> key -> line

    def got(self, node: yaml.Node, value: Any = None, fits: list[Any] = ()) -> str:  # type: ignore[assignment]
        """What was written, for a message: a short scalar as written, with its kind when that is wrong."""
        if not isinstance(node, yaml.ScalarNode):
            return describe(node)
        if value is None and node.tag.endswith(":null"):
            return "null (nothing)"
        plain = {_base(m) for f in fits for m in _members(_base(f))}
        return describe(node) if type(value) in plain else f"{kind_of(type(value))} ({describe(node)})"

    def scalar(self, node: yaml.Node, what: str, allowed: str) -> Any:
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as exc:    # a timestamp like 2024-13-45
            raise self.fail(line_of(node), f"{what} must be {allowed}, not {describe(node)} "
                                           f"({getattr(exc, 'problem', None) or exc})") from None
        return value.date() if isinstance(value, dt.datetime) else value

    def decode(self, node: yaml.Node, kind: Any, what: str) -> Any:
        """`node` as a value of `kind`; `what` names it in messages ("'title'", "each of 'authors'")."""
        members = _members(kind)
        allowed = description(kind)
        if isinstance(node, yaml.MappingNode):
            fits = [m for m in members if _is_struct(m) or get_origin(_base(m)) is dict]
        elif isinstance(node, yaml.SequenceNode):
            fits = [m for m in members if get_origin(_base(m)) is list]
        else:
            fits = [m for m in members if not _is_struct(m) and get_origin(_base(m)) not in (list, dict)]
        if not fits:
            value = self.scalar(node, what, allowed) if isinstance(node, yaml.ScalarNode) else None
            raise self.fail(line_of(node), f"{what} must be {allowed}, not {self.got(node, value)}")
        chosen = fits[0]
        base = _base(chosen)
        if _is_struct(chosen):
            return self.struct(node, base, what)
        if get_origin(base) is dict:
            return self.mapping(node, chosen, what)
        if get_origin(base) is list:
            item = get_args(base)[0]
            plain = what.removeprefix("each of ")
            return [self.decode(child, item, f"each of {plain}") for child in node.value]
        value = self.scalar(node, what, allowed)
        scalars = Union[tuple(fits)] if len(fits) > 1 else fits[0]
        try:
            return msgspec.convert(value, scalars, strict=True)
        except msgspec.ValidationError:
            raise self.fail(line_of(node), f"{what} must be {allowed}, not {self.got(node, value, fits)}") from None

    def keys(self, node: yaml.MappingNode, known: tuple[str, ...] | None, what: str) -> list[tuple[Any, yaml.Node, yaml.Node]]:
        """(key, key node, value node) of a mapping; an unknown or repeated key is an error."""
        out, seen = [], set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else describe(key_node)
            if known is not None:
                key = str(key)
                if key not in known:
                    near = difflib.get_close_matches(key, known, n=1)     # a typo: titel -> title
                    hint = f"; did you mean '{near[0]}'?" if near else ""
                    raise self.fail(line_of(key_node), f"unknown key {describe(key_node)} in {what}{hint} "
                                                       f"(known: {', '.join(known)})")
            if key in seen:
                raise self.fail(line_of(key_node), f"'{str(key)[:40]}' is given twice")
            seen.add(key)
            out.append((key, key_node, value_node))
        return out

    def struct(self, node: yaml.MappingNode, kind: type[Struct], what: str) -> Struct:
        known = kind.__struct_fields__
        hints = {f.name: f for f in msgspec.structs.fields(kind)}
        values, lines = {}, {}
        for key, key_node, value_node in self.keys(node, known, what):
            values[key] = self.decode(value_node, hints[key].type, f"'{key}'")
            lines[key] = line_of(key_node)
        for name, info in hints.items():
            if name not in values and info.default is msgspec.NODEFAULT and info.default_factory is msgspec.NODEFAULT:
                raise self.fail(line_of(node), f"{what} needs a '{name}'")
        try:
            decoded = kind(**values)
        except (ValueError, TypeError) as exc:    # a check across fields (__post_init__)
            raise self.fail(line_of(node), str(exc)) from None
        self.lines[id(decoded)] = lines
        return decoded

    def mapping(self, node: yaml.MappingNode, kind: Any, what: str) -> dict:
        key_kind, value_kind = get_args(_base(kind))
        field = what.removeprefix("each of ").strip("'")
        out, lines = {}, {}
        for _, key_node, value_node in self.keys(node, None, what):
            key = self.decode(key_node, key_kind, f"a key of {what}")
            if key in out:
                raise self.fail(line_of(key_node), f"{field} {key} is given twice")
            label = f"{field.removesuffix('s')} {key}" if _is_struct(value_kind) else f"'{field}.{key}'"
            out[key] = self.decode(value_node, value_kind, label)
            lines[key] = line_of(key_node)
        self.lines[id(out)] = lines
        return out


def decode(root: yaml.Node, loader: LimitedLoader, kind: type[Struct], what: str, fail: Fail) -> tuple[Struct, Decoder]:
    """The checked value of a file's node graph, and the decoder holding its keys' lines."""
    if not isinstance(root, yaml.MappingNode):
        raise fail(line_of(root), f"{what} must be a mapping of keys to values")
    decoder = Decoder(loader, fail)
    return decoder.struct(root, kind, what), decoder
