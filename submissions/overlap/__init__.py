"""The overlap check (文字复制比): the share of an entry's text found in other entries and in
published articles, passage by passage. docs/overlap.md tells how it works.

- text.py: characters, shingles and their sampled hashes; the texts of entries and articles.
- index.py: the (hash, document) index in the database and the boilerplate cut-off.
- align.py: the exact passages two texts share.
- report.py: the work itself: index a text, report on an entry, and say which other entries'
  reports the change may alter.
- tasks.py: the work as jobs on the task queue (overlap_job), and this package's public names:
  refresh_report(submission_id), refresh_article(showcase_id), refresh_document(document_id)
  (one entry reported again) and refresh_all(submission_ids, showcase_ids) (a bulk load: all
  indexed, then every entry reported), each queueing the follow-ups its change calls for.
- hooks.py: the one place that schedules that work after a change is committed.
- panel.py: what the admin shows of a report, per role.
"""

from submissions.overlap.tasks import refresh_all, refresh_article, refresh_document, refresh_report

__all__ = ["refresh_all", "refresh_article", "refresh_document", "refresh_report"]
