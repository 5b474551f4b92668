"""The brand pages (submissions.brands): the index and each brand's 品牌档案."""

from django.urls import path

from submissions.brands import views

urlpatterns = [
    path("", views.index, name="index"),
    path("of/<slug:article>/", views.of_article, name="of_article"),  # an article's link (brand slugs are 8 long)
    path("<slug:slug>/", views.detail, name="detail"),
]
