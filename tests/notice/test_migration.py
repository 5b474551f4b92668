"""Migration 0027: an existing notice's status is set from the moments its phases were reached."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.notice.helpers import notice_of

BEFORE = ("submissions", "0026_screening")
AFTER = ("submissions", "0027_notice_machine")
AT = datetime(2026, 10, 13, 2, 0, tzinfo=UTC)


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_the_status_of_existing_notices_comes_from_their_timestamps():
    slugs = ["m-draft", "m-published", "m-closed", "m-final"]
    pks = [notice_of(1, slug=slug, publish=False).pk for slug in slugs]
    try:
        old = _migrate(BEFORE).get_model("submissions", "PublicNotice")
        old.objects.filter(pk__in=pks[1:]).update(published_at=AT)
        old.objects.filter(pk__in=pks[2:]).update(closed_at=AT)
        old.objects.filter(pk=pks[3]).update(final_at=AT)
    finally:
        new = _migrate(AFTER).get_model("submissions", "PublicNotice")
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("submissions")[0])
    found = dict(new.objects.filter(pk__in=pks).values_list("campaign__slug", "status"))
    assert found == {"m-draft": "draft", "m-published": "published", "m-closed": "closed", "m-final": "final"}
