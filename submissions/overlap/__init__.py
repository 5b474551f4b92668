"""The overlap check (文字复制比): the share of an entry's text found in other entries and in
published articles, passage by passage. docs/overlap.md tells how it works.

- text.py: characters, shingles and their sampled hashes; the texts of entries and articles.
- index.py: the (hash, document) index in the database and the boilerplate cut-off.
- align.py: the exact passages two texts share.
- report.py: refresh_report(submission_id), refresh_article(showcase_id),
  refresh_document(document_id) (one entry reported again) and refresh_all(submission_ids, showcase_ids)
  (a bulk load: all indexed, then every entry reported), the work itself.
- hooks.py: the one place that schedules that work after a change is committed.
- panel.py: what the admin shows of a report, per role.
"""


def refresh_report(submission_id):
    from submissions.overlap.report import refresh_report as run

    return run(submission_id)


def refresh_article(showcase_id):
    from submissions.overlap.report import refresh_article as run

    return run(showcase_id)


def refresh_all(submission_ids, showcase_ids=()):
    from submissions.overlap.report import refresh_all as run

    return run(submission_ids, showcase_ids)


def refresh_document(document_id):
    from submissions.overlap.report import report as run

    return run(document_id)
