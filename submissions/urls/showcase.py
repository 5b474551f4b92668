from django.urls import path

from submissions.views import showcase

urlpatterns = [
    path("", showcase.article_list, name="list"),
    path("feed/", showcase.LatestArticlesFeed(), name="feed"),
    path("<slug:slug>/", showcase.detail, name="detail"),
    path("<slug:slug>/comment/", showcase.comment, name="comment"),
]
