"""What the search index and the reading counts keep (submissions.platform.search, submissions.views_count).

SearchDocument holds each indexed object's text as tokens (overlapping character bigrams, and
words of Latin letters and digits: submissions.platform.search.tokens), one row per object. The index
proper is built on it by migration 0012, per database: on PostgreSQL a generated `tsvector`
column with a GIN index, on SQLite an FTS5 table kept up to date by triggers. Django sees only
the token text; the backends in submissions.platform.search query the index.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions.models.showcase import Showcase


class SearchDocument(models.Model):
    """One indexed object: `kind` names what it is ("showcase"; the admin may add "submission")."""

    kind = models.CharField(max_length=20)
    object_id = models.PositiveIntegerField()
    title = models.TextField(blank=True)  # tokens of the title
    body = models.TextField(blank=True)  # tokens of the rest (the title's too, so one match finds both)
    indexed_at = models.DateTimeField(auto_now=True)
    # The object's date in the list's order (an article's publication): a search of a word found
    # in more than search.CAP objects ranks the newest of them (submissions.platform.search.ranked_ids).
    sort_key = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]
        indexes = [models.Index(fields=["kind", "sort_key"], name="search_document_recent")]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class ShowcaseViews(models.Model):
    """An article's reading count (阅读量), written in batches from the counts in the cache."""

    showcase = models.OneToOneField(Showcase, on_delete=models.CASCADE, primary_key=True, related_name="views")
    count = models.PositiveIntegerField(_("阅读量"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("阅读量")
        verbose_name_plural = _("阅读量")

    def __str__(self):
        return f"{self.showcase_id}: {self.count}"
