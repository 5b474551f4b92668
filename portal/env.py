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


def database(url, *, statement_timeout_ms):
    """Django DATABASES['default'] from a URL, tuned per engine.

    SQLite: WAL journal, IMMEDIATE transactions and a busy timeout, so concurrent
    writers queue instead of failing with "database is locked".
    PostgreSQL: persistent connections with health checks and a statement timeout,
    so one slow query cannot hold a worker.
    """
    import dj_database_url

    config = dj_database_url.parse(url)
    engine = config["ENGINE"]
    if engine.endswith("sqlite3"):
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    elif "postgresql" in engine:
        config["CONN_MAX_AGE"] = number("DB_CONN_MAX_AGE", 600)
        config["CONN_HEALTH_CHECKS"] = True
        options = config.setdefault("OPTIONS", {})
        if statement_timeout_ms:
            options["options"] = f"-c statement_timeout={statement_timeout_ms}"
    return config
