"""Spark's Python daemon for ``khabar batch --engine spark``: the Extractor is built
once, before the daemon forks its workers.

Spark starts one daemon per executor (``spark.python.daemon.module``) and forks a
Python worker from it for each concurrent task. Stock, each worker imports khabar and
loads the spaCy model itself, so an executor with N cores pays N model loads and holds
N private copies. Here the daemon loads the Extractor named by ``KHABAR_SPARK_EXTRACT``
(``ExtractOptions`` as JSON, set by ``_spark``) into ``_spark``'s per-process cache and
freezes it out of the garbage collector; the workers it forks find it there, shared
copy-on-write. If the preload fails, the daemon starts anyway and each worker loads
its own, as before.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import traceback

PRELOAD_ENV = "KHABAR_SPARK_EXTRACT"


def preload() -> bool:
    """Build the Extractor of ``$KHABAR_SPARK_EXTRACT``; False when there is none."""
    options = os.environ.get(PRELOAD_ENV)
    if not options:
        return False
    # The daemon tells the JVM its port on stdout: nothing else may be written there.
    with contextlib.redirect_stdout(sys.stderr):
        try:
            from khabar.batch._spark import _extractor

            _extractor(options)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return False
    gc.freeze()  # the workers' collectors never touch (and so never copy) these pages
    return True


if __name__ == "__main__":
    preload()
    from pyspark.daemon import manager

    manager()
