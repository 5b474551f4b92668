from django.urls import path

from submissions.vote import views

urlpatterns = [
    path("<slug:slug>/", views.board, name="board"),
    path("<slug:slug>/voter/", views.voter, name="voter"),
    path("<slug:slug>/<int:pk>/", views.cast, name="cast"),
]
