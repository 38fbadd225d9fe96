"""``khabar serve --watch CONFIG.toml``: the watch loop in a process of its own.

Fetching and extraction take seconds per round and would stall requests, so the watcher
runs in a child process. Its database is the server's: with PostgreSQL the child opens
the same URL (the server sees its writes through the change token); with DuckDB, which
lets one process open the file, the child calls the server's own store through a local
socket (``store._remote``), so the server stays the file's single writer.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
from pathlib import Path
from typing import Any

from ..settings import Settings
from ..store import Store, is_server_url
from ..store._remote import RemoteStore, StoreServer

__all__ = ["WatchProcess"]

log = logging.getLogger(__name__)


class WatchProcess:
    """The watcher child of a server; ``stop`` ends it (and the socket it used)."""

    def __init__(self, config_file: Path, settings: Settings, store: Store, guard: Any) -> None:
        self.server: StoreServer | None = None
        address: str | None = None
        authkey: bytes | None = None
        if not is_server_url(settings.db):
            self.server = StoreServer(store, guard)
            address, authkey = self.server.address, self.server.authkey
        context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self.process = context.Process(
            target=_child,
            args=(str(config_file), settings, address, authkey),
            name="khabar-watch",
            daemon=False,  # it runs ingest, whose reading budget uses child processes
        )
        self.process.start()

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(timeout)
        if self.process.is_alive():  # pragma: no cover - a child stuck in C code
            self.process.kill()
            self.process.join()
        if self.server is not None:
            self.server.close()


def _exit_with_parent() -> None:
    """End this process when the server that started it is gone (even killed -9)."""
    import os
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _child(
    config_file: str, settings: Settings, address: str | None, authkey: bytes | None
) -> None:
    """The watch loop, as ``khabar watch CONFIG`` runs it, one line per round."""
    import signal

    from ..extract import Extractor
    from ..store import open_store
    from ..watch import Watcher, load_config

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    _exit_with_parent()
    logging.basicConfig(level=logging.WARNING, format="watch: %(levelname)s %(message)s")
    config = load_config(Path(config_file))
    options = settings.extract
    if config.watch.model:
        options = options.model_copy(update={"model": config.watch.model})
    extractor = Extractor(options)
    store: Any = RemoteStore(address, authkey) if address and authkey else open_store(settings.db)

    def show(report: Any) -> None:
        print(
            f"watch: {report.started_at:%Y-%m-%d %H:%M:%S}Z {report.new_articles} new "
            f"article(s), {report.queued} alert(s) queued, {report.delivered} delivered, "
            f"{len(report.feed_errors)} feed(s) failed ({report.seconds:.1f} s)",
            file=sys.stderr,
            flush=True,
        )

    watcher = Watcher(store, config, extractor=extractor)
    try:
        watcher.run(interval=config.watch.interval, on_round=show)
    except KeyboardInterrupt:
        pass
    finally:
        watcher.close()
        store.close()
