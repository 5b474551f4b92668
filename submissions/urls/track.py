from django.urls import path

from submissions.views import track

urlpatterns = [
    path("", track.lookup, name="lookup"),
    path("<str:token>/", track.detail, name="detail"),
    path("<str:token>/receipt/", track.receipt, name="receipt"),
]
