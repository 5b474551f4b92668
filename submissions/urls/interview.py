from django.urls import path

from submissions.interview import views

urlpatterns = [
    path("track/<str:token>/interview/<int:pk>/pick/", views.pick, name="pick"),
    path("track/<str:token>/interview/<int:pk>/counter/", views.counter, name="counter"),
    path("interview/feed/<str:token>.ics", views.feed, name="feed"),
    path("interview/<int:pk>/<str:token>.ics", views.appointment, name="ics"),
]
