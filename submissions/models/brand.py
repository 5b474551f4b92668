"""品牌档案: an organization's brand across campaigns and years.

A brand is known by its entries' Submission.dedupe_key (the folded organization and brand name):
every entry of the same organization's same brand, whatever the campaign, belongs to it. A Brand
row is made when an article of such an entry is first put on the column (the workflow's "brand"
effect, submissions/brands/hooks.py); an article without a source entry has no brand. Its names
are those of the entry whose article was published last; the page itself (/brands/<slug>/) reads
the live articles, so a brand whose articles are all taken down shows nothing (404).
"""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

SLUG_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: read aloud or typed from print
SLUG_LENGTH = 8


def new_brand_slug():
    """A short random id for the brand's address: stable (never derived from a name that may change)."""
    return "".join(secrets.choice(SLUG_ALPHABET) for _i in range(SLUG_LENGTH))


class Brand(models.Model):
    key = models.CharField(_("品牌标识"), max_length=250, unique=True, editable=False)  # = Submission.dedupe_key
    slug = models.SlugField(_("网址标识"), max_length=20, unique=True, default=new_brand_slug, editable=False)
    org_name = models.CharField(_("党组织全称"), max_length=100)
    brand_name = models.CharField(_("品牌名称"), max_length=20)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    first_published_at = models.DateTimeField(_("首次发布时间"), null=True, blank=True)

    class Meta:
        app_label = "submissions"
        ordering = ["-first_published_at", "-pk"]
        verbose_name = _("品牌档案")
        verbose_name_plural = _("品牌档案")

    def __str__(self):
        return f"{self.org_name}“{self.brand_name}”"

    def get_absolute_url(self):
        return reverse("brands:detail", kwargs={"slug": self.slug})

    @property
    def brand_display(self):
        name = self.brand_name.strip("“”\"'")
        return f"“{name}”"
