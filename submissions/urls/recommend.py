"""The recommending bodies' workspace (推荐单位工作台): submissions/recommend/views.py."""

from django.urls import path

from submissions.recommend import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("", views.index, name="index"),
    path("<int:pk>/", views.entry, name="entry"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/recommend/", views.recommend, name="recommend"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/form.docx", views.form_docx, name="form"),
    path("<int:pk>/scan/", views.scan, name="scan"),
    path("<int:pk>/scan/upload/", views.scan_upload, name="scan_upload"),
]
