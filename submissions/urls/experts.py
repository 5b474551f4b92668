"""专家智库: the expert's focused page (signed link or account), their sign-in, and the public pages."""

from django.urls import path

from submissions.experts import views

urlpatterns = [
    path("", views.index, name="index"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("mine/", views.mine, name="mine"),
    path("write/<str:signed>/", views.write_link, name="write"),
    path("request/<int:pk>/", views.write_account, name="request"),
    path("<slug:slug>/", views.detail, name="detail"),
]
