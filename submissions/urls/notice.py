from django.urls import path

from submissions.notice import views

urlpatterns = [
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/objection/", views.objection, name="objection"),
    path("<slug:slug>/objection/<str:token>/", views.receipt, name="receipt"),
]
