from django.urls import path

from submissions.intake.views import calls

urlpatterns = [
    path("", calls.current, name="current"),
    path("photo/<str:key>/thumbnail/", calls.staged_photo, name="staged_photo"),
    path("import/<str:key>/status/", calls.import_status, name="import_status"),
    path("<slug:slug>/", calls.detail, name="detail"),
    path("<slug:slug>/submit/", calls.submit, name="submit"),
    path("<slug:slug>/form.docx", calls.form_docx, name="form_docx"),
]
