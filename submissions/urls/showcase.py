from django.urls import path

from submissions.views import showcase

urlpatterns = [
    path("", showcase.article_list, name="list"),
    path("<slug:slug>/", showcase.detail, name="detail"),
]
