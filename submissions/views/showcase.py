from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from submissions.models import Showcase


def article_list(request):
    articles = Showcase.objects.filter(state=Showcase.State.PUBLISHED).order_by("-published_at", "-pk")
    page = Paginator(articles, 10).get_page(request.GET.get("page"))
    return render(request, "showcase/list.html", {"page": page})


def detail(request, slug):
    article = get_object_or_404(
        Showcase.objects.select_related("responsible_editor", "signed_off_by", "campaign"),
        slug=slug,
        state=Showcase.State.PUBLISHED,
    )
    return render(
        request,
        "showcase/detail.html",
        {
            "article": article,
            "sections": article.sections.all(),
            "photos": article.photos.select_related("photo"),
            "links": article.links.all(),
            "comments": article.comments.filter(state="approved"),
        },
    )
