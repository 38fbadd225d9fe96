"""The store of another process, through a local socket: one DuckDB writer for many.

DuckDB lets one process open a file for writing, and no other process may then open it
at all. ``khabar serve --watch`` keeps that rule: the server holds the file, and the
watch process (whose time goes into fetching and extraction) calls the server's store
through a ``StoreServer``, one call at a time, as a ``RemoteStore`` that behaves like
any ``Store``. Every call runs under the server's guard (the lock its own requests take),
so the connection is never used by two threads at once; ``lock`` holds the guard across
calls, so a resolution in the watch process reads and writes with no request between.

The socket is a Unix socket in a private temporary folder with a random key, so only
the user's own processes that are given the key can call.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from multiprocessing.connection import Client, Connection, Listener
from typing import Any

from ..errors import StoreError
from ._base import Store

__all__ = ["RemoteStore", "StoreServer"]

# What a client may call: the repository interface, less what only its owner does.
CALLS = frozenset(
    name
    for name in dir(Store)
    if not name.startswith("_") and name not in {"close", "lock", "location", "schema_version"}
)


class StoreServer:
    """Serves ``store`` to other processes until closed.

    Args:
        store: the store this process holds.
        guard: the lock every use of ``store`` in this process takes.
    """

    def __init__(self, store: Store, guard: AbstractContextManager[Any] | Any) -> None:
        self.store, self.guard = store, guard
        self.authkey = secrets.token_bytes(32)
        self._listener = Listener(family="AF_UNIX", authkey=self.authkey)
        self.address = self._listener.address
        self._closed = False
        threading.Thread(target=self._accept, name="store-server", daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn = self._listener.accept()
            except (OSError, EOFError):
                if self._closed:
                    return
                continue  # a client that failed the handshake
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: Connection) -> None:
        held = 0
        try:
            while True:
                try:
                    name, args, kwargs = conn.recv()
                except (EOFError, OSError):
                    return
                try:
                    result = None
                    if name == "__info__":
                        result = (self.store.location, self.store.schema_version)
                    elif name == "__lock__":
                        self.guard.acquire()
                        held += 1
                    elif name == "__unlock__" and held:
                        held -= 1
                        self.guard.release()
                    elif name in CALLS:
                        with self.guard:
                            result = getattr(self.store, name)(*args, **kwargs)
                            if isinstance(result, Iterator):
                                result = list(result)
                    else:
                        raise StoreError(f"{name} is not a store call")
                    conn.send((True, result))
                except Exception as error:
                    conn.send((False, _portable(error)))
        finally:
            for _ in range(held):
                self.guard.release()
            conn.close()

    def close(self) -> None:
        self._closed = True
        self._listener.close()


def _portable(error: Exception) -> Exception:
    """The error as the client can unpickle it (a library's may not be)."""
    import pickle

    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return StoreError(f"{type(error).__name__}: {error}")
    return error


class RemoteStore:
    """A ``Store`` whose calls run in the process that serves it (``StoreServer``)."""

    def __init__(self, address: str, authkey: bytes) -> None:
        try:
            self._conn = Client(address, family="AF_UNIX", authkey=authkey)
        except OSError as error:
            raise StoreError(
                f"cannot reach the store of the server at {address}: {error}"
            ) from error
        self._lock = threading.Lock()
        self.location, self.schema_version = self._call("__info__")

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            try:
                self._conn.send((name, args, kwargs))
                ok, value = self._conn.recv()
            except (EOFError, OSError) as error:
                raise StoreError(f"the server holding the database went away: {error}") from error
        if not ok:
            raise value
        return value

    def __getattr__(self, name: str) -> Any:
        if name not in CALLS:
            raise AttributeError(name)

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._call(name, *args, **kwargs)

        return call

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        self._call("__lock__")
        try:
            yield
        finally:
            self._call("__unlock__")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
