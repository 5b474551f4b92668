"""The overlap index and reports (文字复制比), kept by submissions.overlap.

An OverlapDocument is one indexed text: an entry (any status but draft) or a published article.
Its sampled character-shingle hashes are rows of OverlapShingle, a (hash, document) table with a
composite primary key, so candidates are found by index look-ups on any database and no process
keeps state. OverlapHash counts, per hash, the documents holding it (the document frequency that
marks boilerplate). An entry's document also carries its report: the overall share and its
OverlapMatch rows (the top other documents, with the aligned passages).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions.models.showcase import Showcase
from submissions.models.submission import Submission


class OverlapDocument(models.Model):
    submission = models.OneToOneField(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="overlap", verbose_name=_("报送作品")
    )
    showcase = models.OneToOneField(
        Showcase, null=True, blank=True, on_delete=models.CASCADE, related_name="overlap", verbose_name=_("巡展文章")
    )
    # The text as indexed (passages are offsets into its normalized form), and its fingerprint.
    text = models.TextField(blank=True)
    fingerprint = models.CharField(max_length=40, blank=True)
    length = models.PositiveIntegerField(default=0)
    indexed_at = models.DateTimeField(null=True, blank=True)
    # The report (entries only): share of this text found elsewhere, 0 to 1.
    share = models.FloatField(_("文字复制比"), null=True, blank=True)
    reported_at = models.DateTimeField(_("检测时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("复制比检测")
        verbose_name_plural = _("复制比检测")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(submission__isnull=False, showcase__isnull=True)
                | models.Q(submission__isnull=True, showcase__isnull=False),
                name="overlap_doc_one_subject",
            )
        ]
        indexes = [models.Index(fields=["share"], name="overlap_doc_share")]

    def __str__(self):
        return f"overlap #{self.pk}"


class OverlapShingle(models.Model):
    pk = models.CompositePrimaryKey("hash", "document")
    hash = models.BigIntegerField()
    document = models.ForeignKey(OverlapDocument, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("文本指纹")
        verbose_name_plural = _("文本指纹")

    def __str__(self):
        return f"{self.hash} @ {self.document_id}"


class OverlapHash(models.Model):
    hash = models.BigIntegerField(primary_key=True)
    df = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("指纹文档频率")
        verbose_name_plural = _("指纹文档频率")

    def __str__(self):
        return f"{self.hash}: {self.df}"


class OverlapMatch(models.Model):
    """One other document in an entry's report, with the share of the entry found in it."""

    document = models.ForeignKey(OverlapDocument, on_delete=models.CASCADE, related_name="matches")
    other = models.ForeignKey(OverlapDocument, on_delete=models.CASCADE, related_name="matched_by")
    rank = models.PositiveSmallIntegerField(default=0)
    share = models.FloatField(default=0)
    # [[own_start, own_end, other_start, other_end], …] in the normalized texts.
    passages = models.JSONField(default=list)

    class Meta:
        ordering = ["document", "rank"]
        verbose_name = _("重合来源")
        verbose_name_plural = _("重合来源")
        constraints = [models.UniqueConstraint(fields=["document", "other"], name="overlap_match_unique")]

    def __str__(self):
        return f"{self.document_id} → {self.other_id}"
