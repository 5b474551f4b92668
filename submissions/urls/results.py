"""A campaign's results page and the public verification of certificates (submissions.results)."""

from django.urls import path

from submissions.results import views

urlpatterns = [
    path("results/<slug:slug>/", views.campaign, name="campaign"),
    path("verify/", views.lookup, name="lookup"),
    path("verify/<str:number>/", views.verify, name="verify"),
]
