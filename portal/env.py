"""Reading settings from the environment, with clear messages for bad values."""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def text(name, default=""):
    return os.environ.get(name, default)


def number(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}.") from exc


def words(name, default=""):
    """A comma-separated list, blanks dropped."""
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


POOLERS = ("", "pgbouncer", "django")


def days(name, default):
    """Whole numbers of days before a due date, e.g. "3,1" (each a reminder, sent once)."""
    found = words(name, default)
    if not all(word.isdigit() for word in found):
        raise ImproperlyConfigured(f"{name} must be whole numbers of days, e.g. 3,1.")
    return tuple(int(word) for word in found)


def pooler(name="DATABASE_POOLER"):
    """What stands between the portal and PostgreSQL: "" (nothing), "pgbouncer" or "django" (docs/deploy.md)."""
    value = os.environ.get(name, "").strip().lower()
    if value in ("none", "off"):
        value = ""
    if value not in POOLERS:
        raise ImproperlyConfigured(f"{name} must be empty, pgbouncer or django; got {value!r}.")
    return value


def database(url, *, statement_timeout_ms, pooler=""):
    """Django DATABASES['default'] from a URL, tuned per engine.

    SQLite: WAL journal, IMMEDIATE transactions and a busy timeout, so concurrent
    writers queue instead of failing with "database is locked".
    PostgreSQL: persistent connections with health checks and a statement timeout,
    so one slow query cannot hold a worker. The timeout goes in the connection's start-up
    options, except behind PgBouncer in transaction mode, which refuses start-up options
    (and would not keep a session SET): there it is the role's default in the database
    (`manage.py db_statement_timeout --apply`), verified by the check of
    portal/db_session.py. Server-side cursors do not survive transaction pooling either.
    `pooler="django"`: Django's own pool (psycopg 3 only), one per process.
    """
    import dj_database_url

    config = dj_database_url.parse(url)
    engine = config["ENGINE"]
    if engine.endswith("sqlite3"):
        if pooler:
            raise ImproperlyConfigured(f"DATABASE_POOLER={pooler} needs a PostgreSQL DATABASE_URL.")
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    elif "postgresql" in engine:
        config["CONN_MAX_AGE"] = number("DB_CONN_MAX_AGE", 600)
        config["CONN_HEALTH_CHECKS"] = True
        options = config.setdefault("OPTIONS", {})
        if statement_timeout_ms is not None and pooler != "pgbouncer":
            # 0 too: "no timeout" for this process, whatever the role's default (manage.py db_statement_timeout).
            options["options"] = f"-c statement_timeout={int(statement_timeout_ms)}"
        if pooler == "pgbouncer":
            config["DISABLE_SERVER_SIDE_CURSORS"] = True
        elif pooler == "django":
            _django_pool(config, options)
    return config


def _django_pool(config, options):
    """Django's connection pool: psycopg 3 and psycopg_pool only; its connections are the pool's, not persistent."""
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError as exc:
        raise ImproperlyConfigured(
            "DATABASE_POOLER=django needs psycopg 3 with its pool (pip package psycopg[binary,pool]); "
            "the portal ships psycopg2. Use DATABASE_POOLER=pgbouncer or leave it empty (docs/deploy.md)."
        ) from exc
    config["CONN_MAX_AGE"] = 0
    options["pool"] = {
        "min_size": number("DB_POOL_MIN_SIZE", 1),
        "max_size": number("DB_POOL_MAX_SIZE", 4),
        "timeout": number("DB_POOL_TIMEOUT", 10),
    }
