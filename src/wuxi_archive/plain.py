"""Records as plain JSON data and back: what the cache stores and page keys hash.

Written out rather than dataclasses.asdict / a generic walk per value,
because the build turns hundreds of thousands of records into JSON and back.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from functools import lru_cache
from typing import Any, Callable


_PLAIN = (str, int, float, bool, Any)


_LEAVES = frozenset({str, int, float, bool, type(None)})


def to_plain(value: Any) -> Any:
    """Dataclasses, lists, tuples and dicts as JSON data (the JSON dataclasses.asdict gives).

    Written out because asdict deep-copies every leaf through generic code,
    which made writing the cache a second's work per thousand seeds.
    """
    if hasattr(value, "__dataclass_fields__"):
        return {name: to_plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _LEAVES else to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


@lru_cache(maxsize=None)
def _init_field_types(cls: type) -> dict[str, Any]:
    """A dataclass's init fields and their types (resolving the hints is slow: once per class)."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls) if f.init}


def record_digest(value: Any) -> str:
    """A hash of a record's whole content (its to_plain JSON): the key of pages that show it."""
    text = json.dumps(to_plain(value), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def from_plain(tp: Any, data: Any) -> Any:
    """Rebuild a value of type `tp` (dataclasses, lists, tuples, dicts, optionals) from JSON data."""
    return _converter(tp)(data)


def _same(data: Any) -> Any:
    return data


@lru_cache(maxsize=None)
def _converter(tp: Any) -> Callable[[Any], Any]:
    """A function rebuilding values of type `tp`, made once per type.

    Loading the cache rebuilds hundreds of thousands of records; deciding
    what each field's type is once per type, not once per value, keeps a
    no-change build of 10,000 seeds from spending seconds here.
    """
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_converter(tp)
    if tp in _PLAIN:
        return _same
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            return _same
        inner = _converter(options[0])
        return _same if inner is _same else lambda data: None if data is None else inner(data)
    if origin is list:
        item = _converter(args[0] if args else Any)
        return list if item is _same else lambda data: [item(v) for v in data]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _converter(args[0])
            return lambda data: tuple(item(v) for v in data)
        items = [_converter(a) for a in args]
        return lambda data: tuple(conv(v) for conv, v in zip(items, data))
    if origin is dict:
        value = _converter(args[1] if args else Any)
        return lambda data: {k: value(v) for k, v in data.items()}
    return _same


def _dataclass_converter(tp: type) -> Callable[[Any], Any]:
    """Rebuild a dataclass: its dict filled in one step, then only the fields that are records
    themselves converted. A dict without exactly the class's fields goes through __init__,
    which rejects it (a damaged cache entry is recomputed, never half-loaded)."""
    fields = {name: _converter(hint) for name, hint in _init_field_types(tp).items()}
    nested = [(name, conv) for name, conv in fields.items() if conv is not _same]
    names = set(fields)
    plain_init = len(names) == len(dataclasses.fields(tp)) and not hasattr(tp, "__post_init__")

    def build(data: Any) -> Any:
        if plain_init and data.keys() == names:
            obj = object.__new__(tp)
            state = obj.__dict__
            state.update(data)
            for name, conv in nested:
                state[name] = conv(state[name])
            return obj
        return tp(**{k: fields[k](v) for k, v in data.items() if k in fields})

    return build
