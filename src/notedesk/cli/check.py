"""`notedesk check`: is the database whole, at a schema this notedesk knows, and closed to others?

SQLite: `PRAGMA integrity_check`, the schema version, and the files: the database and its -wal and
-shm must be writable by this login (else the desk is locked out) and not open to others (world
bits: the notes are customer data). PostgreSQL: `SELECT 1` and the schema version (access is the
server's roles). Prints a short report; exit 0 when all is well, 1 when anything is wrong. A file
that is not a database at all is one line and exit 1 (through the CLI's NotedeskError handling).

Both engines: the search index whole (its tables and triggers on SQLite, its trigram indexes on
PostgreSQL), and every order's money: its received the sum of its payments, its payment status and
instalment flags as they give (services.payment_check). `--repair` mends what is derived from the data
and nothing else: it rebuilds the search index from the orders, notes and log, and settles an order's
received, payment status and instalment flags again from its payments (with a timeline event). It never
adds, changes or removes a payment, a line, a note or a log entry,
never "fixes" a damaged file (restore the last backup: `notedesk backup` copies are checked), and
never changes file modes (the report says which chmod to run).
"""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path
from urllib.parse import quote

import peewee

from notedesk import config
from notedesk.i18n import _
from notedesk.safe_output import disk_full
from notedesk.store.connection import close_database, open_database
from notedesk.store.errors import StoreError, disk_is_full, explain, translated_errors
from notedesk.store.sqlite_files import access_problems, owner
from notedesk.store.targets import describe_target, sqlite_path
from notedesk.store.upgrade import runner
from notedesk.text import one_line


def register(sub, common) -> None:
    p = sub.add_parser("check", parents=[common],
                       help=_("check the database: integrity, schema version, who can read the files"))
    p.add_argument("--repair", action="store_true",
                   help=_("rebuild what can be rebuilt from the data (the search index; an order's received and "
                          "payment status from its payments); never changes a payment, a line or a note"))
    p.set_defaults(run=run)



def exposure(path: Path) -> list[str]:
    """The database, -wal and -shm open to others (world bits), and a folder others may write."""
    problems = []
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = candidate.stat().st_mode
        except FileNotFoundError:
            continue
        if mode & 0o007:
            what = _("readable by others") if mode & stat.S_IROTH else _("open to others")
            problems.append(_("{file} is {what} (mode {mode:04o}, owner {owner}); fix: chmod o-rwx {file}").format(
                file=candidate, what=what, mode=stat.S_IMODE(mode), owner=owner(candidate)))
    folder = path.parent
    try:
        mode = folder.stat().st_mode
    except OSError:
        return problems
    if mode & stat.S_IWOTH and not mode & stat.S_ISVTX:
        problems.append(_("folder {folder} is writable by others (mode {mode:04o}, owner {owner}): "
                          "anyone can replace the database; fix: chmod o-w {folder}").format(
            folder=folder, mode=stat.S_IMODE(mode), owner=owner(folder)))
    return problems


def integrity(path: Path) -> list[str]:
    """What `PRAGMA integrity_check` finds (empty when ok). A file that is no database raises StoreError."""
    uri = f"file:{quote(str(path))}?mode=rw"  # never create a file here
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(explain(exc, str(path))) from None
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        if disk_is_full(path) or "full" in str(exc).lower():  # SQLite could not even read: no room for -shm
            raise StoreError(_("{full}: the database is not checked; make room, then check again").format(
                full=disk_full(path))) from None
        raise StoreError(_("{file} is damaged or not a notedesk database: {why}").format(
            file=path, why=str(exc).strip() or type(exc).__name__)) from None
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def schema(target: str) -> tuple[str, bool]:
    """(one line about the schema version, whether it is wrong)."""
    database = open_database(target, migrate=False)
    try:
        with translated_errors(target):
            database.connect(reuse_if_open=True)
            if not isinstance(database, peewee.SqliteDatabase):
                database.execute_sql("SELECT 1").fetchone()
            status = runner(database).status()
    finally:
        close_database()
    applied = [m.name for m in status if m.applied]
    unknown = [m.name for m in status if m.path is None]
    pending = [m.name for m in status if not m.applied]
    if not applied:
        return _("no notedesk schema in this database (the desk creates it when it first opens it)"), True
    if unknown:
        return _("schema {name} is newer than this notedesk knows: upgrade notedesk").format(name=unknown[-1]), True
    if pending:
        return _("schema {name}; the desk upgrades it to {new} when it next opens it").format(
            name=applied[-1], new=pending[-1]), False
    return _("schema {name} (up to date)").format(name=applied[-1]), False


def deadline_report(target: str) -> list[str]:
    """Stored deadlines today's grammar would read differently (issue 14): a report, nothing changed."""
    from notedesk import labels
    from notedesk.services.deadline_rereads import reread_deadlines

    open_database(target, migrate=False, create=False)
    try:
        rereads = reread_deadlines()
    except (peewee.DatabaseError, StoreError) as exc:
        return [_("deadlines not compared: {why}").format(why=str(exc).strip() or type(exc).__name__)]
    finally:
        close_database()
    if not rereads:
        return [_("deadlines: every open order's deadline reads as stored")]
    lines = [_("deadlines: {n} open order(s) whose words read differently today; each keeps its stored date, "
               "nothing was changed:").format(n=len(rereads))]
    for r in rereads:
        now = (r.error or (labels.format_deadline(r.now) if r.now and r.now.scheduled
                           else labels.unread_words(r.now) or _("unscheduled")))
        stored = labels.format_deadline(r.stored) or _("unscheduled")
        lines.append("  " + _("{number} “{text}”: stored {stored}; read today {now}").format(
            number=r.number, text=one_line(r.stored.text, 40), stored=stored, now=one_line(now)))
    return lines


def search_index(target: str, repair: bool) -> tuple[list[str], list[str]]:
    """(report lines, problems) about the search index; rebuilt when `repair`."""
    from notedesk.services import search

    open_database(target, migrate=False, create=False)
    try:
        missing = search.index_missing()
        if not missing:
            return [_("search index ok")], []
        if not repair:
            return [], [_("the search index is incomplete (missing {what}): new text is not found; "
                          "fix: notedesk check --repair").format(what=", ".join(missing))]
        count = search.rebuild_index()
        return [_("repaired: the search index was rebuilt ({count} texts)").format(count=f"{count:,}")], []
    finally:
        close_database()


SHOWN = 20  # orders named in a report; the rest are counted


def _money_line(u) -> str:
    from notedesk import labels

    parts = []
    if u.received_wrong:
        parts.append(_("received {stored}, payments {sum}").format(stored=labels.money(u.received),
                                                                    sum=labels.money(u.payments)))
    if u.status != u.expected:
        parts.append(_("status {stored}, should be {expected}").format(
            stored=labels.payment_status_label(u.status), expected=labels.payment_status_label(u.expected)))
    if u.instalments:
        parts.append(_("instalments marked paid do not follow"))
    return "  " + u.number + ": " + "; ".join(parts)


def _named(found: list) -> list[str]:
    lines = [_money_line(u) for u in found[:SHOWN]]
    if len(found) > SHOWN:
        lines.append("  " + _("… and {n} more").format(n=f"{len(found) - SHOWN:,}"))
    return lines


def payment_report(target: str, repair: bool) -> tuple[list[str], list[str]]:
    """(report lines, problems) about the orders' money; settled again when `repair`."""
    from notedesk.services import payment_check

    open_database(target, migrate=False, create=False)
    try:
        found = payment_check.settle_again() if repair else payment_check.unsettled_orders()
    finally:
        close_database()
    if not found:
        return [_("payments: every order's received is the sum of its payments, its payment status follows")], []
    if repair:
        return ["\n".join([_("repaired: {n} order(s) settled again from their payments:").format(
            n=f"{len(found):,}"), *_named(found)])], []
    return [], ["\n".join([_("{n} order(s) whose received or payment status does not follow their payments; "
                              "fix: notedesk check --repair").format(n=f"{len(found):,}"), *_named(found)])]


def _derived(target: str, repair: bool, report: list[str], problems: list[str]) -> None:
    """What is checked once the schema is right: the search index, the orders' money, the deadlines."""
    found, wrong = search_index(target, repair)
    money, unsettled = payment_report(target, repair)
    report += found + money + deadline_report(target)
    problems += wrong + unsettled


def run(args) -> int:
    target = config.database_url(getattr(args, "db", None))
    path = sqlite_path(target)
    report: list[str] = [describe_target(target)]
    problems: list[str] = []
    if path is not None:
        if not path.is_file():
            raise StoreError(_("no database at {path}").format(path=path))
        problems += access_problems(path) + exposure(path)
        if access_problems(path):
            report.append(_("integrity not checked: this login cannot write the database (see below)"))
        else:
            damage = integrity(path)
            if damage:
                problems.append(_("{file} is damaged: {what}").format(file=path, what="; ".join(damage[:3])))
            else:
                report.append(_("integrity ok"))
                line, wrong = schema(target)
                (problems if wrong else report).append(line)
                if not wrong:
                    _derived(target, args.repair, report, problems)
        if not problems:
            mode = stat.S_IMODE(path.stat().st_mode)
            report.append(_("files ok: mode {mode:04o}, owner {owner}, no access for others").format(
                mode=mode, owner=owner(path)))
    else:
        line, wrong = schema(target)  # an unreachable server is one StoreError line
        report.append(_("connection ok"))
        (problems if wrong else report).append(line)
        if not wrong:
            _derived(target, args.repair, report, problems)
    for line in report:
        print(line)
    for line in problems:
        print(_("problem: {what}").format(what=line))
    if problems:
        print(_("{n} problem(s)").format(n=len(problems)))
        return 1
    print(_("ok"))
    return 0
