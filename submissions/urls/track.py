from django.urls import path

from submissions.intake.views import track

urlpatterns = [
    path("", track.lookup, name="lookup"),
    path("<str:token>/", track.detail, name="detail"),
    path("<str:token>/receipt/", track.receipt, name="receipt"),
    path("<str:token>/edit/", track.edit, name="edit"),
    path("<str:token>/withdraw/", track.withdraw, name="withdraw"),
]
