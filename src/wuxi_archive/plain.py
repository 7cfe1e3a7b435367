"""Records as plain JSON data and back: what the cache stores and page keys hash.

to_plain is written out rather than dataclasses.asdict, and from_json is
msgspec's typed decoder rather than json.loads and a walk over its result,
because the build turns hundreds of thousands of records into JSON and back.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import lru_cache
from typing import Any


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


def record_digest(value: Any) -> str:
    """A hash of a record's whole content (its to_plain JSON): the key of pages that show it."""
    text = json.dumps(to_plain(value), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def from_json(tp: Any, text: bytes | str) -> Any:
    """Decode JSON text into a value of type `tp` (dataclasses, lists, tuples, dicts,
    optionals), checking every value's type: a cache entry of the wrong shape raises
    ValueError, and is recomputed, never half-loaded."""
    return _decoder(tp).decode(text)


@lru_cache(maxsize=None)
def _decoder(tp: Any) -> Any:
    # msgspec builds the records in C, its types resolved once per type: a rebuild at
    # 10,000 articles decodes 25 MB of cached records, which json.loads and a Python
    # walk over the result took twice as long to do.
    import msgspec
    return msgspec.json.Decoder(tp)
