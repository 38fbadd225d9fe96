"""Optional dependencies: heavy libraries that only one feature needs are extras of the
package (pyproject.toml), so that `make demo` installs less. A feature checks for its
library before it starts and says in one line what to install."""

from __future__ import annotations

from importlib.util import find_spec

from .errors import MissingDependency

__all__ = ["require"]


def require(module: str, extra: str, feature: str) -> None:
    """Raise MissingDependency (K004) when ``module`` is not installed."""
    if find_spec(module) is None:
        raise MissingDependency(
            f"{feature} needs {module}, which this installation lacks: "
            f"pip install 'khabar[{extra}]' (make install-dev installs every extra)"
        )
