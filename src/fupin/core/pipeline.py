"""Fork-and-pipe: do CPU work on chunks in a forked child while this process consumes the results.

The machine class has two cores; a long job whose work splits into "prepare a chunk" (pure CPU) and "use the
chunk" (e.g. write it to the database) runs both halves at once when a forked child prepares chunk n+1 while
this process uses chunk n. The helper knows nothing of what the chunks are:

    for result in forked(chunks, prepare, state=open_connection, close=close_connection):
        use(result)

- `prepare(item, state)` runs in the child, in order; each result is pickled through a pipe as soon as it is
  ready. A result of None ends the stream early (the child stops; the consumer sees the generator end after
  receiving None, so it can tell "stopped" from "done").
- `state()` is called once in the child (e.g. a connection of its own); `close(state)` when it is done.
- When fork is refused (no process to spare) or missing, the same calls run lazily in this process, so the
  results are the same either way.
- If the child dies, the consumer gets PipelineFailed at the next result; the child is always reaped when the
  generator is closed.

Only for work between this process and its own child: pickle is not a format for untrusted peers.
"""

from __future__ import annotations

import contextlib
import os
import pickle  # noqa: S403 - only between this process and its own forked child
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PIPE_BYTES = 1 << 20  # room for a whole chunk in the pipe, so the child runs ahead


class PipelineFailed(Exception):
    """The child died before sending every result: what came through is incomplete."""


def _no_state() -> None:
    return None


def forked(items: Sequence[T], prepare: Callable[[T, Any], R | None], *,
           state: Callable[[], Any] = _no_state, close: Callable[[Any], None] | None = None,
           fork: Callable[[], int] | None = None) -> Iterator[R | None]:
    """The results of `prepare` over `items`, computed in a forked child (see the module's docstring)."""
    fork = fork or getattr(os, "fork", None)
    if fork is None:
        yield from _in_process(items, prepare, state, close)
        return
    read_end, write_end = os.pipe()
    with contextlib.suppress(ImportError, AttributeError, OSError):  # Linux: a bigger pipe
        import fcntl

        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    try:
        pid = fork()
    except OSError:  # no process to spare: the same work, here
        os.close(read_end)
        os.close(write_end)
        yield from _in_process(items, prepare, state, close)
        return
    if pid == 0:  # the child: prepare, send, leave without running any of the parent's clean-up
        status = 1
        try:
            os.close(read_end)
            resource = state()
            with os.fdopen(write_end, "wb") as pipe:
                for item in items:
                    result = prepare(item, resource)
                    pickle.dump(result, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                    pipe.flush()
                    if result is None:
                        break
            if close is not None:
                close(resource)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    reader = os.fdopen(read_end, "rb")
    try:
        for _item in items:
            try:
                result = pickle.load(reader)  # noqa: S301 - our own child
            except (EOFError, pickle.UnpicklingError):
                raise PipelineFailed from None
            yield result
            if result is None:
                return
    finally:
        reader.close()  # first, so a child still writing gets a broken pipe instead of waiting forever
        os.waitpid(pid, 0)


def _in_process(items: Sequence[T], prepare: Callable[[T, Any], R | None], state: Callable[[], Any],
                close: Callable[[Any], None] | None) -> Iterator[R | None]:
    resource = state()
    try:
        for item in items:
            result = prepare(item, resource)
            yield result
            if result is None:
                return
    finally:
        if close is not None:
            close(resource)
