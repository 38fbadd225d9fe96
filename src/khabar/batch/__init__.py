"""Running the per-document stages in other processes.

``BudgetedWorker`` gives each document a wall-time budget that is enforced (a child
process that is killed when a document overruns), so one hostile page costs only itself.
"""

from ._budget import BudgetedWorker, Late, fork_available

__all__ = ["BudgetedWorker", "Late", "fork_available"]
