from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

CACHE_KEY = "site-settings:v1"

# The footer's default labels: in the catalogue so that the English page translates them
# (base.html: `{% translate site.publisher_label %}`); a label an editor changes is shown as typed.
DEFAULT_LABELS = (gettext_noop("主办"), gettext_noop("电话"), gettext_noop("备案号"), gettext_noop("互联网新闻信息服务许可证"))


class SiteSettings(models.Model):
    """The one record of site-wide facts that editors keep in the admin (footer, names)."""

    site_name = models.CharField(_("平台名称"), max_length=60, default="优秀党建品牌征集展示平台")
    publisher_label = models.CharField(_("“主办单位”标签"), max_length=30, default="主办")
    publisher = models.CharField(_("主办单位"), max_length=100, default="大众日报社")
    icp_label = models.CharField(_("“备案号”标签"), max_length=30, blank=True, default="备案号")
    icp_number = models.CharField(_("ICP备案号"), max_length=60, default="鲁ICP备00000000号")
    icp_url = models.URLField(_("备案查询网址"), default="https://beian.miit.gov.cn/")
    news_licence_label = models.CharField(_("“许可证”标签"), max_length=40, default="互联网新闻信息服务许可证")
    news_licence = models.CharField(_("互联网新闻信息服务许可证号"), max_length=60, default="37120180000")
    copyright = models.CharField(_("版权声明"), max_length=200, default="大众日报社 版权所有")
    phone_label = models.CharField(_("“电话”标签"), max_length=30, default="电话")
    phone = models.CharField(_("联系电话"), max_length=40, default="0531-00000000")

    class Meta:
        verbose_name = _("站点设置")
        verbose_name_plural = _("站点设置")

    def __str__(self):
        return str(self.site_name)

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(CACHE_KEY)

    def delete(self, *args, **kwargs):
        # The record always exists; deleting it would blank the footer.
        return (0, {})

    @classmethod
    def load(cls):
        """The settings record, cached; created with defaults on first use."""
        obj = cache.get(CACHE_KEY)
        if obj is None:
            obj, _created = cls.objects.get_or_create(pk=1)
            cache.set(CACHE_KEY, obj, 300)
        return obj
