"""The periodic situation report: one self-contained HTML file.

``build`` selects a period's incidents and statements from the store and computes the
figures (with the previous period of the same length for comparison); ``render`` draws
the map and charts with matplotlib and writes the page, every image inlined as a
``data:`` URI and every string escaped, so the file opens anywhere with no network.
"""

from __future__ import annotations

from ..store import Store
from ._data import Figures, ReportData, ReportOptions, build, parse_since
from ._html import render

__all__ = ["Figures", "ReportData", "ReportOptions", "build", "parse_since", "render", "run"]


def run(store: Store, options: ReportOptions) -> str:
    """The report's HTML for ``options`` over ``store``."""
    return render(build(store, options))
