"""Dump and load the site's database, per engine: SQLite's online backup API, PostgreSQL's pg_dump.

Both work on the ``default`` connection's settings. A dump taken while the site runs is
consistent: SQLite's backup API copies a snapshot (the site keeps writing in WAL mode),
``pg_dump`` reads one transaction. PostgreSQL's client programs must be of the server's
major version or newer; the password goes to them in PGPASSWORD, never on a command line.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.db import connection

from backups.archive import BackupError

ENGINES = ("sqlite", "postgresql")  # Django's connection.vendor, also the manifest's "engine"


def engine():
    """The site's database engine as the manifest names it: "sqlite" or "postgresql"."""
    if connection.vendor not in ENGINES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _sqlite_copy(source, target, *, failure):
    """Copy one open SQLite database into another with the online backup API, then close both."""
    try:
        source.backup(target)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{failure}: {error}.") from None
    finally:
        source.close()
        target.close()


def dump(*, destination: Path):
    """Write the whole database to the file ``destination`` (the site may keep running)."""
    if engine() == "sqlite":
        # A connection of its own: the backup API would wait for ever on one holding a write transaction.
        _sqlite_copy(
            sqlite3.connect(connection.settings_dict["NAME"], timeout=_sqlite_timeout()),
            sqlite3.connect(destination),
            failure="The database could not be copied",
        )
    else:
        _run_client("pg_dump", "--format=custom", "--no-password", f"--file={destination}")


def check(*, source: Path):
    """Refuse a dump that its engine cannot read, before anything of the site is touched."""
    if engine() == "sqlite":
        try:
            with closing(sqlite3.connect(source)) as dump_db:
                result = dump_db.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise BackupError(f"The archive's database is not a readable SQLite database ({error}).") from None
        if result != "ok":
            raise BackupError(f"The archive's database is damaged (SQLite's check says: {result}).")
    else:
        result = subprocess.run([_find_client("pg_restore"), "--list", str(source)], capture_output=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise BackupError("The archive's database is not a dump that pg_restore can read.")


def load(*, source: Path):
    """Replace the whole database with the dump in ``source`` (written by ``dump``).

    SQLite: the backup API copies it page by page into the site's file (made if missing),
    through SQLite's own locking. PostgreSQL: every table of the schema is dropped first
    (a newer site may have tables the dump does not know, which migrate would then trip
    over), then ``pg_restore --clean --if-exists --no-owner`` in one transaction.
    """
    connection.close()
    if engine() == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        name.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(
            sqlite3.connect(source),
            sqlite3.connect(name, timeout=_sqlite_timeout()),
            failure=f"The database in the archive could not be copied into {name}",
        )
        return
    _drop_tables()
    _run_client(
        "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
        "--no-password", str(source),
    )  # fmt: skip


def is_empty():
    """True when the database holds no posts and no comments (or no tables at all yet)."""
    from blog.models import Post
    from comments.models import Comment

    tables = set(connection.introspection.table_names())
    return not any(model._meta.db_table in tables and model._base_manager.exists() for model in (Post, Comment))


def _sqlite_timeout():
    return connection.settings_dict.get("OPTIONS", {}).get("timeout", 20)


def _drop_tables():
    tables = connection.introspection.table_names()
    if tables:
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TABLE IF EXISTS " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE"
            )
    connection.close()


def _run_client(program, *args):
    settings = connection.settings_dict
    options = settings.get("OPTIONS", {})
    command = [_find_client(program)]
    for flag, value in (
        ("--host", settings.get("HOST")),
        ("--port", settings.get("PORT")),
        ("--username", settings.get("USER")),
    ):
        if value:
            command.append(f"{flag}={value}")
    command += [f"--dbname={settings['NAME']}", *args]
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    if options.get("sslmode"):
        env["PGSSLMODE"] = options["sslmode"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        last_line = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{program} failed (exit {result.returncode}): {last_line}")


def _find_client(program):
    """``program`` from PATH, else the newest of Debian's /usr/lib/postgresql/<version>/bin."""
    if found := shutil.which(program):
        return found
    installed = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"), key=_version_key)
    if installed:
        return installed[-1]
    raise BackupError(f"{program} was not found on PATH or in /usr/lib/postgresql/*/bin: install PostgreSQL's client.")


def _version_key(path):
    version = Path(path).parts[-3]
    return int(version) if version.isdigit() else 0
