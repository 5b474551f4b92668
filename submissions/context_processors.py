from submissions.models import SiteSettings


def site(request):
    """The site settings record (footer, names) on every page; cached, so no query per page."""
    return {"site": SiteSettings.load()}
