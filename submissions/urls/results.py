"""The public verification of certificates (submissions.results)."""

from django.urls import path

from submissions.results import views

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("<str:number>/", views.verify, name="verify"),
]
