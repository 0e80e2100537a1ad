"""A throwaway PostgreSQL server for the test suite.

    from pgserver import PostgresServer

    with PostgresServer() as pg:
        url = pg.create_database("t1")      # postgresql://notedesk@/t1?host=/tmp/...&port=...
        db = playhouse.db_url.connect(url, prefer_psycopg3=True)
        ...
        pg.reset(url)                       # empty the database again (drop/recreate schemas)

The server runs from a temporary folder (data directory, log and unix socket), listens
on a unix socket only (no TCP unless ``tcp=True``), runs without fsync, and is stopped
with ``pg_ctl stop -m immediate`` -- by ``stop()``, by the context manager, or at the
latest by an ``atexit`` hook. Folders left by a process that died without cleaning up
(SIGKILL) are reaped by the next ``start()``.

``postgres`` refuses to run as root: when the tests run as root, initdb and pg_ctl run
as the ``postgres`` system user (or ``nobody``), and the temporary folder belongs to it.

If the server binaries cannot be found, ``start()`` raises RuntimeError with the
install command: tests that need PostgreSQL fail, they are never skipped.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlparse

__all__ = ["PostgresServer", "find_binaries", "shared_server", "MISSING_BINARIES"]

MISSING_BINARIES = (
    "PostgreSQL server binaries not found (initdb, pg_ctl): "
    "install them with `apt-get install -y postgresql`"
)

USER = "notedesk"
DIR_PREFIX = "notedesk-pg-"
OWNER_FILE = "owner.pid"
# sockaddr_un.sun_path is 108 bytes on Linux (104 on macOS/BSD), NUL included;
# postgres appends "/.s.PGSQL.<port>" (at most 16 more characters).
SOCKET_PATH_MAX = 103 if os.uname().sysname == "Linux" else 99
SERVER_OPTIONS = (
    "-c listen_addresses={listen} -c fsync=off -c synchronous_commit=off "
    "-c full_page_writes=off -c max_connections=200 -c max_prepared_transactions=0"
)


# ----------------------------------------------------------------------------- binaries


def _version_key(path: str):
    name = Path(path).parent.name  # /usr/lib/postgresql/<version>/bin
    return [int(p) if p.isdigit() else -1 for p in re.split(r"[.]", name)]


def _candidate_dirs() -> list[str]:
    dirs: list[str] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10
            )
            if out.returncode == 0 and out.stdout.strip():
                dirs.append(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    dirs.extend(sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True))
    initdb = shutil.which("initdb")
    if initdb:
        dirs.append(str(Path(initdb).resolve().parent))
        dirs.append(str(Path(initdb).parent))
    return dirs


def find_binaries() -> dict[str, str]:
    """Return {"initdb": path, "pg_ctl": path} or raise RuntimeError(MISSING_BINARIES).

    Looks in `pg_config --bindir`, /usr/lib/postgresql/*/bin (newest first), then PATH.
    A directory counts only if it holds both programs (pg_config from libpq-dev alone
    points at /usr/bin, which has no initdb).
    """
    for d in _candidate_dirs():
        progs = {name: os.path.join(d, name) for name in ("initdb", "pg_ctl")}
        if all(os.path.isfile(p) and os.access(p, os.X_OK) for p in progs.values()):
            return progs
    raise RuntimeError(MISSING_BINARIES)


# ----------------------------------------------------------------------------- helpers


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_user() -> pwd.struct_passwd | None:
    """The unprivileged account to run postgres as, or None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError(
        "running as root, and postgres refuses to run as root; no `postgres` or `nobody` "
        "user to run it as (install the postgresql package, which creates `postgres`)"
    )


def _reachable(path: str, user: pwd.struct_passwd | None) -> bool:
    """Can `user` traverse every directory down to `path`?  (Root can.)"""
    if user is None:
        return True
    p = Path(path).resolve()
    for d in [p, *p.parents]:
        st = d.stat()
        if st.st_uid == user.pw_uid:
            ok = st.st_mode & 0o100
        elif st.st_gid == user.pw_gid:
            ok = st.st_mode & 0o010
        else:
            ok = st.st_mode & 0o001
        if not ok:
            return False
    return True


def _base_dir(user: pwd.struct_passwd | None) -> str:
    base = os.environ.get("NOTEDESK_PG_TMPDIR") or tempfile.gettempdir()
    longest = os.path.join(base, DIR_PREFIX + "x" * 8)
    if len(longest) > SOCKET_PATH_MAX - len("/.s.PGSQL.65535") or not _reachable(base, user):
        base = "/tmp"
    return base


def _clean_env() -> dict[str, str]:
    # PGDATA, PGPORT, PGHOST... from the caller's environment must not leak in.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"  # stable English messages from initdb/pg_ctl
    return env


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # an exited postmaster stays a zombie until init reaps it
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _postmaster_pid(datadir: str) -> int | None:
    try:
        with open(os.path.join(datadir, "postmaster.pid")) as f:
            return int(f.readline().strip())
    except (OSError, ValueError):
        return None


def _kill_postmaster(datadir: str, timeout: float = 5.0) -> None:
    """Immediate shutdown by signal (SIGQUIT == pg_ctl -m immediate), SIGKILL if stuck."""
    pid = _postmaster_pid(datadir)
    if pid is None or not _pid_alive(pid):
        return
    try:
        os.kill(pid, signal.SIGQUIT)
    except OSError:  # gone, or not ours
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid) or not os.path.exists(os.path.join(datadir, "postmaster.pid")):
            return
        time.sleep(0.02)
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def reap_stale(base: str | None = None) -> None:
    """Stop and remove servers left behind by test processes that no longer exist."""
    base = base or _base_dir(_server_user())
    for d in glob.glob(os.path.join(base, DIR_PREFIX + "*")):
        try:
            owner = int(Path(d, OWNER_FILE).read_text().strip())
        except (OSError, ValueError):
            continue
        if _pid_alive(owner):
            continue
        _kill_postmaster(os.path.join(d, "data"))
        shutil.rmtree(d, ignore_errors=True)


# ----------------------------------------------------------------------------- server


class PostgresServer:
    """A private PostgreSQL cluster in a temporary folder.

    Attributes once started: ``root`` (temp folder), ``datadir``, ``socket_dir``,
    ``port``, ``user`` (the database superuser, "notedesk"), ``url`` (the
    ``postgres`` maintenance database), ``startup_seconds``.
    """

    def __init__(self, *, tcp: bool = False, user: str = USER, locale: str | None = None):
        self.tcp = tcp
        self.user = user
        self.locale = locale
        self.root: str | None = None
        self.datadir: str | None = None
        self.socket_dir: str | None = None
        self.port: int | None = None
        self.startup_seconds: float | None = None
        self._bins: dict[str, str] | None = None
        self._os_user: pwd.struct_passwd | None = None
        self._atexit = None

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.datadir is not None and _pid_alive(_postmaster_pid(self.datadir) or 0)

    def start(self) -> PostgresServer:
        if self.root is not None:
            return self
        t0 = time.perf_counter()
        self._bins = find_binaries()  # raises RuntimeError(MISSING_BINARIES)
        self._os_user = _server_user()
        base = _base_dir(self._os_user)
        reap_stale(base)

        self.root = tempfile.mkdtemp(prefix=DIR_PREFIX, dir=base)
        self._atexit = self._cleanup_at_exit
        atexit.register(self._atexit)
        try:
            Path(self.root, OWNER_FILE).write_text(str(os.getpid()))
            self.datadir = os.path.join(self.root, "data")
            self.socket_dir = self.root
            if self._os_user is not None:
                os.chown(self.root, self._os_user.pw_uid, self._os_user.pw_gid)
            # other local users (and root) must reach the socket; data/ stays 0700
            os.chmod(self.root, 0o755)
            self._initdb()
            self._pg_ctl_start()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.perf_counter() - t0
        return self

    def _run(self, args: list[str], what: str) -> subprocess.CompletedProcess:
        u = self._os_user
        kwargs = {}
        if u is not None:
            kwargs = dict(user=u.pw_uid, group=u.pw_gid, extra_groups=[])
        proc = subprocess.run(
            args,
            cwd=self.root,  # the postgres user may not be able to read our cwd
            env=_clean_env(),
            capture_output=True,
            text=True,
            timeout=120,
            **kwargs,
        )
        if proc.returncode != 0:
            log = ""
            logfile = os.path.join(self.root or "", "postgres.log")
            if os.path.exists(logfile):
                log = "\n--- postgres.log ---\n" + Path(logfile).read_text(errors="replace")[-4000:]
            raise RuntimeError(
                f"{what} failed (exit {proc.returncode}): {' '.join(args)}\n"
                f"{proc.stdout}{proc.stderr}{log}"
            )
        return proc

    def _initdb(self) -> None:
        base = [self._bins["initdb"], "--no-sync", "-A", "trust", "-U", self.user,
                "-E", "UTF8", "-D", self.datadir]
        locales = [self.locale] if self.locale else ["C.UTF-8", "C"]
        for i, loc in enumerate(locales):
            try:
                self._run(base + [f"--locale={loc}"], "initdb")
                return
            except RuntimeError:
                if i == len(locales) - 1:
                    raise
                shutil.rmtree(self.datadir, ignore_errors=True)

    def _pg_ctl_start(self) -> None:
        listen = "127.0.0.1" if self.tcp else "''"
        last_error = None
        for _ in range(3):  # a free port can be taken between probe and bind
            self.port = _free_port()
            opts = f"-k {shlex.quote(self.socket_dir)} -p {self.port} " + SERVER_OPTIONS.format(listen=listen)
            try:
                self._run(
                    [self._bins["pg_ctl"], "start", "-w", "-t", "60", "-D", self.datadir,
                     "-l", os.path.join(self.root, "postgres.log"), "-o", opts],
                    "pg_ctl start",
                )
                return
            except RuntimeError as e:
                last_error = e
                if not self.tcp:
                    raise
        raise last_error

    def stop(self) -> None:
        if self.root is None:
            return
        try:
            if self.datadir and os.path.exists(os.path.join(self.datadir, "postmaster.pid")):
                try:
                    self._run([self._bins["pg_ctl"], "stop", "-m", "immediate", "-w",
                               "-t", "30", "-D", self.datadir], "pg_ctl stop")
                except Exception:
                    _kill_postmaster(self.datadir)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            if self._atexit is not None:
                atexit.unregister(self._atexit)
                self._atexit = None
            self.root = self.datadir = self.socket_dir = None

    def _cleanup_at_exit(self) -> None:
        # last resort: no subprocess, just signal the postmaster and remove the folder
        if self.root is None:
            return
        if self.datadir:
            _kill_postmaster(self.datadir)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = self.datadir = self.socket_dir = None

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def __del__(self):
        try:
            self._cleanup_at_exit()
        except Exception:
            pass

    # -- addresses -----------------------------------------------------------------------

    def _require_started(self) -> None:
        if self.root is None:
            raise RuntimeError("PostgresServer is not started")

    def url_for(self, dbname: str) -> str:
        """URL for `dbname`, accepted by playhouse.db_url.connect() and by libpq."""
        self._require_started()
        if self.tcp:
            return f"postgresql://{self.user}@127.0.0.1:{self.port}/{dbname}"
        return (f"postgresql://{self.user}@/{dbname}"
                f"?host={quote(self.socket_dir, safe='/')}&port={self.port}")

    @property
    def url(self) -> str:
        """URL of the `postgres` maintenance database."""
        return self.url_for("postgres")

    def connect_kwargs(self, dbname: str = "postgres") -> dict:
        """Keyword arguments for psycopg.connect() / peewee PostgresqlDatabase()."""
        self._require_started()
        host = "127.0.0.1" if self.tcp else self.socket_dir
        return {"host": host, "port": self.port, "user": self.user, "dbname": dbname}

    # -- databases -----------------------------------------------------------------------

    def _admin(self, dbname: str = "postgres"):
        import psycopg

        return psycopg.connect(autocommit=True, **self.connect_kwargs(dbname))

    def create_database(self, name: str, *, template: str = "template0") -> str:
        """Create an empty database `name` (dropped first if it exists); return its URL."""
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {} ENCODING 'UTF8'").format(
                sql.Identifier(name), sql.Identifier(template)))
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))

    def reset(self, url_or_name: str, *, terminate: bool = False) -> None:
        """Empty a database: drop every user schema (tables, sequences, types, extensions
        in them) and recreate `public` as a fresh PostgreSQL 15 cluster has it.

        Roles are cluster-wide and are NOT removed. A connection left *inside a
        transaction* holds locks that make this wait: it gives up after 10 s, unless
        ``terminate=True``, which first disconnects every other session on that database.
        """
        dbname = _dbname(url_or_name)
        from psycopg import sql

        with self._admin(dbname) as conn:
            if terminate:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            conn.execute("SET lock_timeout = '10s'")
            schemas = [r[0] for r in conn.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname NOT IN "
                "('pg_catalog', 'information_schema', 'pg_toast') "
                "AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'"
            )]
            with conn.transaction():
                for s in schemas:
                    conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(s)))
                conn.execute("CREATE SCHEMA public AUTHORIZATION pg_database_owner")
                conn.execute("GRANT USAGE ON SCHEMA public TO PUBLIC")
                conn.execute("COMMENT ON SCHEMA public IS 'standard public schema'")


def _dbname(url_or_name: str) -> str:
    if "://" not in url_or_name:
        return url_or_name
    p = urlparse(url_or_name)
    name = unquote(p.path.lstrip("/")) or dict(parse_qsl(p.query)).get("dbname", "")
    if not name:
        raise ValueError(f"no database name in {url_or_name!r}")
    return name


# ----------------------------------------------------------------------------- shared

_shared: PostgresServer | None = None


def shared_server() -> PostgresServer:
    """One server per test process, started on first use and stopped at exit.

    Lets conftest fixtures and individual test modules share a single cluster instead
    of paying a start each. Raises RuntimeError(MISSING_BINARIES) when not installed.
    """
    global _shared
    if _shared is None or _shared.root is None:
        _shared = PostgresServer().start()  # its own atexit hook stops it
    return _shared
