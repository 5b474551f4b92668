from django.urls import path

from submissions.column.views import sharing, showcase

urlpatterns = [
    path("", showcase.article_list, name="list"),
    path("feed/", showcase.LatestArticlesFeed(), name="feed"),
    path("<slug:slug>/", showcase.detail, name="detail"),
    path("<slug:slug>/comment/", showcase.comment, name="comment"),
    path("<slug:slug>/poster/", sharing.poster_page, name="poster"),
    path("<slug:slug>/poster.jpg", sharing.poster_image, name="poster-image"),
    path("<slug:slug>/print/", sharing.print_page, name="print"),
    path("<slug:slug>/read/", sharing.read, name="read"),
]
