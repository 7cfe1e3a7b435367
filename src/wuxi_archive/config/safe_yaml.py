"""YAML from people (sidecars in pull requests, a site config) read with limits.

A few hundred bytes of YAML can describe an exponentially large value
(aliases of aliases: the "billion laughs"), nest deeper than Python's stack,
or spell an integer of thousands of digits. PyYAML's own composer builds the
node graph by recursion and its constructor expands nothing itself, but any
walk over the result (a `repr` in an error message, `str()` of a list) pays
the full expansion: 2.75 GB and a MemoryError for a 452-byte sidecar.

So the node graph is composed here, iteratively, from libyaml's event stream
(PyYAML's pure-Python parser where libyaml is missing), counting every node
as it will be seen once expanded (an alias counts as the whole node it
names), and stopping at the first limit crossed with a YAML error that has
a line. Nothing here ever formats a node's value whole: `describe` gives a
short description for messages.
"""
from __future__ import annotations

import yaml
from yaml.events import (AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent,
                         SequenceStartEvent, StreamEndEvent)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_BYTES = 1 << 20          # a sidecar is a few hundred bytes, a config a few tens of kilobytes
MAX_NODES = 50_000           # values counted once expanded (an alias counts as all it names)
MAX_DEPTH = 64               # nesting; real files use three or four levels
MAX_INT_DIGITS = 32          # no field holds a bigger number (line numbers, article numbers, counts)


class YAMLLimitError(yaml.MarkedYAMLError):
    """A YAML text over one of the limits above."""


try:    # libyaml's scanner and parser: the same events, ten times faster than PyYAML's
    from yaml._yaml import CParser as _Parser
except ImportError:          # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


class LimitedLoader(_Parser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):  # type: ignore[misc,valid-type]
    """Events from the parser, nodes from `compose_limited`, values from PyYAML's safe constructor
    (integers of bounded length)."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def get_single_node(self) -> Node | None:
        return compose_limited(self)

    def construct_yaml_int(self, node: ScalarNode) -> int:
        digits = node.value.replace("_", "").lstrip("+-")
        if len(digits) > MAX_INT_DIGITS:
            raise YAMLLimitError(None, None, f"an integer of {len(digits)} digits (at most {MAX_INT_DIGITS})",
                                 node.start_mark)
        return super().construct_yaml_int(node)


LimitedLoader.add_constructor("tag:yaml.org,2002:int", LimitedLoader.construct_yaml_int)


def _fail(problem: str, mark) -> YAMLLimitError:  # noqa: ANN001 - a yaml Mark
    return YAMLLimitError(None, None, problem, mark)


def compose_limited(loader: LimitedLoader) -> Node | None:
    """The single document's node graph, or None for an empty text; YAMLLimitError past a limit."""
    loader.get_event()                                   # StreamStart
    if loader.check_event(StreamEndEvent):
        loader.get_event()
        return None
    loader.get_event()                                   # DocumentStart
    anchors: dict[str, Node] = {}
    weight: dict[int, int] = {}                          # id(closed collection) -> nodes once expanded
    open_nodes: list[tuple[Node, int, list]] = []        # collection, count when it opened, pending key
    expanded = 0
    root: Node | None = None
    while root is None:
        event = loader.get_event()
        if isinstance(event, (SequenceEndEvent, MappingEndEvent)):
            node, opened, _ = open_nodes.pop()
            weight[id(node)] = expanded - opened
        elif isinstance(event, AliasEvent):
            if event.anchor not in anchors:
                raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
            node = anchors[event.anchor]
            if id(node) not in weight and not isinstance(node, ScalarNode):
                raise _fail("an alias inside the value it names (a value that contains itself)", event.start_mark)
            expanded += weight.get(id(node), 1)
        elif isinstance(event, ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(ScalarNode, event.value, event.implicit)
            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
            expanded += 1
        elif isinstance(event, (SequenceStartEvent, MappingStartEvent)):
            is_seq = isinstance(event, SequenceStartEvent)
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(SequenceNode if is_seq else MappingNode, None, event.implicit)
            cls = SequenceNode if is_seq else MappingNode
            node = cls(tag, [], event.start_mark, None, flow_style=event.flow_style)
            if len(open_nodes) >= MAX_DEPTH:
                raise _fail(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
            expanded += 1
        else:                                            # pragma: no cover - the parser allows nothing else
            raise _fail(f"unexpected {type(event).__name__}", event.start_mark)
        if expanded > MAX_NODES:
            raise _fail(f"more than {MAX_NODES:,} values once its aliases are expanded", event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None and not isinstance(event, AliasEvent):
            anchors[anchor] = node
        if isinstance(event, (SequenceEndEvent, MappingEndEvent)):
            node.end_mark = event.end_mark
        elif open_nodes:
            parent, _, pending = open_nodes[-1]
            if isinstance(parent, SequenceNode):
                parent.value.append(node)
            elif pending:
                parent.value.append((pending.pop(), node))
            else:
                pending.append(node)
            if isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                open_nodes.append((node, expanded - 1, []))
            continue
        elif isinstance(event, (SequenceStartEvent, MappingStartEvent)):
            open_nodes.append((node, expanded - 1, []))
            continue
        if not open_nodes:
            root = node
    loader.get_event()                                   # DocumentEnd
    if not loader.check_event(StreamEndEvent):
        event = loader.get_event()
        raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                          "but found another document", event.start_mark)
    loader.get_event()
    return root


def compose_text(text: str) -> tuple[Node | None, LimitedLoader]:
    """The node graph of `text` and the loader to construct its values with (close it with dispose())."""
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise _fail(f"larger than {MAX_BYTES >> 20} MB", yaml.Mark("<text>", 0, 0, 0, None, None))
    loader = LimitedLoader(text)
    try:
        return loader.get_single_node(), loader
    except BaseException:
        loader.dispose()
        raise


def load_limited(text: str) -> object:
    """yaml.safe_load with the limits above: a YAMLError (with a line) instead of a machine taken."""
    node, loader = compose_text(text)
    try:
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def describe(node: Node, limit: int = 40) -> str:
    """A node for an error message: a short scalar as written, else what kind of value it is."""
    if isinstance(node, ScalarNode):
        value = str(node.value)
        return repr(value if len(value) <= limit else value[:limit] + "…")
    return "a list" if isinstance(node, SequenceNode) else "a mapping"

