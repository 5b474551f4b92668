"""The read side of videos: what an article's page shows."""

from submissions.models import Video, VideoState


def shown_in(article):
    """The converted videos of an article, in their order (one query)."""
    return list(Video.objects.filter(showcase=article, state=VideoState.READY).exclude(mp4="").order_by("order", "pk"))
