"""The analysts' snapshot: a read-only copy of the database, published atomically at the end of each run.

DuckDB lets one process write a file, and a writer excludes every reader of that file (and a reader the writer).
So readers never open the writer's file: the run's last step checkpoints it (the WAL folded into the file) and,
still holding the write lock, copies it to a temporary name beside the snapshot, then renames the copy onto the
snapshot path (``os.replace``, atomic on POSIX). A reader that opened the snapshot before keeps the file it opened
(the old inode) and sees the last published state until it reconnects; a reader never delays the run, and the
run never delays a reader. The copy is made read-only (mode 0444).

No Dagster import here: the asset (``snapshot/asset.py``) and the tests use this module.
"""
from __future__ import annotations

import os
import shutil
import stat
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb


class SnapshotError(Exception):
    """The snapshot could not be published; the message is one line for the operator."""


@dataclass(frozen=True)
class Published:
    path: str
    n_bytes: int
    copy_s: float  # the checkpoint, the copy, its fsync and the rename


def publish(con: duckdb.DuckDBPyConnection, db_path: str | os.PathLike, snapshot_path: str | os.PathLike) -> Published:
    """Checkpoint ``con`` (a read-write connection to ``db_path``) and publish a copy of its file at
    ``snapshot_path``. The caller keeps ``con`` open, so no other process writes the file during the copy."""
    started = time.perf_counter()
    src = Path(db_path).expanduser()
    dst = Path(snapshot_path).expanduser()
    if src.resolve() == dst.resolve():
        raise SnapshotError(f"the snapshot path {dst} is the database itself: choose another DEFCOMM_READ_DB_PATH")
    con.execute("CHECKPOINT")
    wal = src.with_name(src.name + ".wal")
    if wal.exists() and wal.stat().st_size > 0:  # e.g. another connection of this process has a transaction open
        raise SnapshotError(f"database {src} could not be checkpointed (its WAL is not empty): snapshot not published")
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SnapshotError(f"cannot create the snapshot's folder {dst.parent}: {exc.strerror}") from None
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(src, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())  # the rename must not publish a file whose bytes are still only in memory
        os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        # a WAL beside the snapshot would be replayed into the new file by the next read-write open: never keep one
        stale_wal = dst.with_name(dst.name + ".wal")
        if stale_wal.exists():
            stale_wal.unlink()
        os.replace(tmp, dst)
    except OSError as exc:
        raise SnapshotError(f"cannot publish the snapshot {dst}: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    _fsync_dir(dst.parent)
    return Published(path=str(dst), n_bytes=dst.stat().st_size, copy_s=round(time.perf_counter() - started, 3))


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
