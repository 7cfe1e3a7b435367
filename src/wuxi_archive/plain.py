"""Records as plain JSON data and back: what the cache stores and page keys hash.

to_json and from_json are msgspec's encoder and typed decoder, rather than
json.dumps of to_plain and json.loads with a walk over its result, because
the build turns hundreds of thousands of records into JSON and back.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import lru_cache
from typing import Any, Callable

import msgspec


_LEAVES = frozenset({str, int, float, bool, type(None)})


def to_plain(value: Any) -> Any:
    """Dataclasses, lists, tuples and dicts as JSON data (the JSON dataclasses.asdict gives):
    what record_digest hashes when msgspec cannot write a value (a lone surrogate), and
    the tests' reference for to_json."""
    if hasattr(value, "__dataclass_fields__"):
        return {name: to_plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _LEAVES else to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


def to_json(value: Any, sort_keys: bool = False) -> bytes:
    """A record as compact JSON (json.dumps of to_plain with "," and ":" between items), by
    msgspec: several times faster, and the workers write every record they make."""
    return _encoder("sorted" if sort_keys else None).encode(value)


def record_digest(value: Any) -> str:
    """A hash of a record's whole content (its JSON, keys sorted): the key of pages that show it."""
    try:
        data = to_json(value, sort_keys=True)
    except UnicodeEncodeError:      # a lone surrogate, which msgspec will not write as UTF-8
        data = json.dumps(to_plain(value), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=None)
def _encoder(order: str | None) -> msgspec.json.Encoder:
    return msgspec.json.Encoder(order=order)


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def from_json(tp: Any, text: bytes | str) -> Any:
    """Decode JSON text into a value of type `tp` (dataclasses, lists, tuples, dicts,
    optionals), checking every value's type: a cache entry of the wrong shape raises
    ValueError, and is recomputed, never half-loaded."""
    return _decoder(tp).decode(text)


def json_decoder(tp: Any) -> Callable[[bytes | str], Any]:
    """from_json(tp, ·) made once: for a loop over many values of one type, where looking
    the decoder up by a typing alias (hashed in Python) cost as much as decoding a small row."""
    return _decoder(tp).decode


@lru_cache(maxsize=None)
def _decoder(tp: Any) -> msgspec.json.Decoder:
    # msgspec builds the records in C, its types resolved once per type: a rebuild at
    # 10,000 articles decodes 25 MB of cached records, which json.loads and a Python
    # walk over the result took twice as long to do.
    return msgspec.json.Decoder(tp)
