"""Extract: Article -> mentions of attacks, statements and arrests, each with evidence.

Building blocks so far: ``numbers`` (figures with hedges -> low/best/high) and ``timex``
(temporal expressions -> DateSpans against the publication date).
"""

from __future__ import annotations

__all__: list[str] = []
