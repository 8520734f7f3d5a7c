"""Uploaded draft templates are code: they are checked against the documented placeholders, and
filled only in a Jinja sandbox that has no globals, a few filters, and bounds on size and time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from jinja2 import StrictUndefined, Template, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

# Methods a plain text placeholder may use, e.g. {{ title.upper() }}. None can grow the text.
TEXT_METHODS = frozenset({"upper", "lower", "title", "capitalize", "strip", "lstrip", "rstrip"})
LOOP_ATTRIBUTES = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length"})
SAFE_FILTERS = frozenset(
    {"upper", "lower", "title", "capitalize", "trim", "default", "d", "e", "escape", "join", "length", "count"}
    | {"first", "last", "reverse", "sort", "unique", "string", "int", "striptags", "batch", "list"}
)
LIST_PLACEHOLDERS = frozenset({"scope"})
REFUSED_TAGS = (nodes.Macro, nodes.CallBlock, nodes.Import, nodes.FromImport, nodes.Include, nodes.Extends)
MAX_SEQUENCE = 10_000  # characters or items a '*' or '**' may produce
MAX_OUTPUT_CHARS = 20 * 1024 * 1024  # the filled XML of one document, all parts together
MAX_SECONDS = 5.0


class TemplateLimit(SecurityError):
    """The template would produce too much or take too long."""


class DraftSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)  # a refused attribute fails loudly
        self.globals.clear()
        self.filters = {name: f for name, f in self.filters.items() if name in SAFE_FILTERS}
        self.template_class = BoundedTemplate
        self.written = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def check_deadline(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimit(_("the template takes too long to fill"))

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_") or not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, str):
            return attr in TEXT_METHODS
        return type(obj).__name__ == "LoopContext" and attr in LOOP_ATTRIBUTES

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.check_deadline()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.check_deadline()
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise TemplateLimit(_("the template raises a number to too high a power"))
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                sized = isinstance(sequence, str | list | tuple) and isinstance(count, int)
                if sized and len(sequence) * count > MAX_SEQUENCE:
                    raise TemplateLimit(_("the template repeats text too many times"))
        return super().call_binop(context, operator, left, right)


class BoundedTemplate(Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        environment = self.environment
        assert isinstance(environment, DraftSandbox)
        pieces = []
        for piece in self._pieces(*args, **kwargs):
            environment.written += len(piece)
            if environment.written > MAX_OUTPUT_CHARS:
                raise TemplateLimit(_("the filled document would be too large"))
            environment.check_deadline()
            pieces.append(piece)
        return "".join(pieces)

    def _pieces(self, *args: Any, **kwargs: Any) -> Iterator[str]:
        return self.generate(*args, **kwargs)


def refused_uses(tree: nodes.Template, placeholders: dict[str, Any]) -> list[str]:
    """Attribute, loop and tag uses outside the documented placeholders (names are checked elsewhere)."""
    refused: set[str] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        refused |= _refused_access(node, placeholders)
    for loop in tree.find_all(nodes.For):
        source = loop.iter
        while isinstance(source, nodes.Filter) and source.node is not None:
            source = source.node
        if not (isinstance(source, nodes.Name) and source.name in LIST_PLACEHOLDERS):
            only = _("only over %(names)s") % {"names": ", ".join(sorted(LIST_PLACEHOLDERS))}
            refused.add("{% for … in … %} (" + only + ")")
    for tag in tree.find_all(REFUSED_TAGS):
        refused.add("{% " + type(tag).__name__.lower() + " %}")
    return sorted(refused)


def _refused_access(node: nodes.Node, placeholders: dict[str, Any]) -> set[str]:
    target = node.node  # type: ignore[attr-defined]
    label = target.name if isinstance(target, nodes.Name) else "…"
    if isinstance(node, nodes.Getattr):
        attribute = node.attr
    elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):  # type: ignore[attr-defined]
        attribute = node.arg.value  # type: ignore[attr-defined]
    elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, int):  # type: ignore[attr-defined]
        return set()  # scope[0]
    else:
        return {f"{label}[…]"}
    if attribute.startswith("_"):
        return {f"{label}.{attribute}"}
    if isinstance(target, nodes.Name) and isinstance(placeholders.get(target.name), dict):
        return set() if attribute in placeholders[target.name] else {f"{label}.{attribute}"}
    if isinstance(target, nodes.Name) and target.name == "loop" and attribute in LOOP_ATTRIBUTES:
        return set()
    return set() if attribute in TEXT_METHODS else {f"{label}.{attribute}"}
