"""The small admin bench database topped up so that its queues fill the pages the large one fills:
`python -m bench.admin_data` against DATABASE_URL (after bench.data admin). The admin's first page
and each queue's page list a queue's first items; with 100 entries (half under review, half accepted)
the triage queue is empty and the accepted one holds 50, while at 100 000 entries both fill a queue's
page: the pages would show different rows, and their times would not compare the same work.
Entries are walked there through the workflow, like bench.data's. Prints one line of JSON.
"""

import json
import sys

from bench import data  # sets Django up
from submissions.admin.queues import PAGE
from submissions.models import Status as S
from submissions.models import Submission

FILLED = (S.SUBMITTED, S.ACCEPTED)  # the statuses of the two queues (triage, accepted) the large database fills


def top_up():
    call = data.campaign()
    for status in FILLED:
        missing = PAGE - Submission.objects.filter(status=status).count()
        if missing > 0:
            start = Submission.objects.count()
            data.walked_entries(call, missing, offset=start, mix=lambda _index, status=status: status)
            data.entry_photos(Submission.objects.order_by("-pk")[:missing])
    return {
        "entries": Submission.objects.count(),
        **{status: Submission.objects.filter(status=status).count() for status in FILLED},
    }


if __name__ == "__main__":
    sys.stdout.write(json.dumps(top_up(), ensure_ascii=False) + "\n")
