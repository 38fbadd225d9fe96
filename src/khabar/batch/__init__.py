"""Running the per-document stages in other processes.

``BudgetedWorker`` gives each document a wall-time budget that is enforced (a child
process that is killed when a document overruns), so one hostile page costs only itself.
``WorkerPool`` runs several of them side by side and gives their results back in the
order of the tasks (``khabar ingest --workers N``). The Spark engine (``_spark``) and
the batch command's driver (``run_batch``) import pyspark only when called.
"""

from ._budget import BudgetedWorker, Late, fork_available
from ._pool import WorkerPool, default_workers

__all__ = ["BudgetedWorker", "Late", "WorkerPool", "default_workers", "fork_available"]
