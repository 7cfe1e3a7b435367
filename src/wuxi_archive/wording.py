"""English wording of counts and kinds in messages: "1 error", "2 errors", "a whole number"."""
from __future__ import annotations

# The nouns messages count, with their plurals where -s is wrong.
_PLURALS = {"entry": "entries", "summary": "summaries"}

# What a YAML value of a Python type is called in a message to a user, with its article.
_KINDS = {int: "a whole number", str: "a text", dict: "a mapping", list: "a list", bool: "true or false",
          float: "a number", type(None): "null"}


def plural(count: int, noun: str) -> str:
    """`count` and the noun in the form the count takes: "1 error", "0 errors", "3 broken sidecars"."""
    if count == 1:
        return f"{count} {noun}"
    head, _, last = noun.rpartition(" ")
    many = _PLURALS.get(last, last + "s")
    return f"{count} {head + ' ' if head else ''}{many}"


def kind_of(kind: type) -> str:
    """A type as a message names it: "a whole number", not "a int"."""
    found = _KINDS.get(kind)
    if found:
        return found
    name = kind.__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"
