"""The brand area's part in the workflow: the "brand" effect, bound when the app is ready."""

from submissions.brands import services
from submissions.workflow import effects


def moved(change):
    """The workflow's "brand" effect: an article went live, so its entry's brand exists (services.article_live)."""
    services.article_live(change.showcase_id)


def connect():
    effects.register(effects.BRAND, moved)
