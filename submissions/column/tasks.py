"""The column's background work (docs/tasks.md): the reading counts gathered in the cache, written down."""

from submissions.column import viewcounts
from submissions.platform import tasks


def flush_views():
    """Every minute: the reading counts (阅读量) gathered in the cache, into the database."""
    return viewcounts.flush()


tasks.periodic("flush_views", flush_views, minutes=1)
