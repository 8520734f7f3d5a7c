"""Renderers turn a `Report` into a file. Each writes to a binary file object and returns nothing;
`render()` picks one by format and gives the content type and extension."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from simkerma.reports.framework import Report


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    content_type: str
    module: str  # the renderer module in this package, which defines write_<key>(report, output)

    @property
    def write(self) -> Callable[[Report, IO[bytes]], None]:
        module = importlib.import_module(f"{__name__}.{self.module}")
        return getattr(module, f"write_{self.key}")  # type: ignore[no-any-return]


FORMATS: dict[str, Format] = {
    "xlsx": Format("xlsx", "Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": Format("csv", "CSV", "text/csv; charset=utf-8", "csv"),
    "pdf": Format("pdf", "PDF", "application/pdf", "pdf"),
    "docx": Format(
        "docx", "Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
    ),
}


def _formats() -> dict[str, Format]:
    return FORMATS


def get_format(key: str) -> Format | None:
    return _formats().get(key)


def render(report: Report, fmt: str, output: IO[bytes]) -> Format:
    """Write the report in `fmt` to `output`; a KeyError for an unknown format."""
    found = _formats()[fmt]
    found.write(report, output)
    return found


def display(value: Any, kind: str) -> str:
    """A value as text, the way the PDF, DOCX and on-screen preview show it."""
    from simkerma.reports.renderers.text import display_value

    return display_value(value, kind)
