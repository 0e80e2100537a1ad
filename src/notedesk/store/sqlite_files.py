"""The SQLite database file on a shared server: created by us with the right mode, checked for who can
write it and its -wal/-shm (a file another login owns locks every writer out: docs/ARCHITECTURE.md,
"The database file on a shared server")."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

from notedesk import labels
from notedesk.i18n import _
from notedesk.safe_output import new_file_mode
from notedesk.store.errors import StoreError


def owner(path: Path) -> str:
    """The login name owning `path` (its uid when unknown, "?" when it cannot be read)."""
    try:
        uid = path.stat().st_uid
    except OSError:
        return "?"
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def access_problems(path: Path) -> list[str]:
    """What stops this login from writing the database: the folder, the file, -wal and -shm."""
    problems = []
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        problems.append(f"cannot write folder {folder} (owner {owner(folder)})")
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if candidate.exists() and not os.access(candidate, os.R_OK | os.W_OK):
            problems.append(f"cannot write {candidate} (owner {owner(candidate)})")
    return problems


def no_database(path: Path) -> StoreError:
    return StoreError(_("no database at {path}").format(path=path))


def prepare_sqlite_file(path: Path, *, create: bool = True) -> None:
    """Create the folder and the database file ourselves, never readable by others (SQLite would make
    it 0644). With `create=False` (the read-only commands) a missing file is an error instead."""
    if not path.exists():
        if not create:
            raise no_database(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreError(_("cannot create folder {parent}: {strerror}").format(
                parent=path.parent, strerror=labels.os_problem(exc))) from None
        mode = new_file_mode(path.parent)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
            os.fchmod(fd, mode)  # the umask may have taken group bits away
            os.close(fd)
        except FileExistsError:
            pass
        except OSError as exc:
            raise StoreError(_("cannot create database {path}: {strerror}").format(
                path=path, strerror=labels.os_problem(exc))) from None
    elif not path.is_file():
        raise StoreError(_("{path} is not a file").format(path=path))
    problems = access_problems(path)
    if problems:
        raise StoreError("; ".join(problems))
