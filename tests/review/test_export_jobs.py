"""Long Excel exports run as a task: the request only queues them; the admin shows their
progress and, when done, a download link to the editor who asked."""

import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from openpyxl import load_workbook

from submissions.models import ExportJob, Status, Submission
from submissions.review import export_jobs as jobs
from tests.factories import make_user, submission_in

LIST = reverse("admin:submissions_submission_changelist")
JOBS = reverse("admin:submissions_exportjob_changelist")


@pytest.fixture
def three(db):
    return [submission_in(Status.SUBMITTED, org_name=f"第{n}党支部", brand_name=f"品牌{n}") for n in range(3)]


def rows(content):
    return [[cell.value for cell in row] for row in load_workbook(io.BytesIO(content)).active.iter_rows()]


@pytest.mark.django_db
def test_a_small_export_is_still_a_file_at_once(client, editor, three, settings):
    settings.EXPORT_ASYNC_THRESHOLD = 3
    client.force_login(editor)
    response = client.get(reverse("admin:submissions_submission_export", args=["xlsx"]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_a_large_export_is_queued_shown_with_its_progress_then_downloaded(
    client, editor, three, settings, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    settings.EXPORT_ASYNC_THRESHOLD = 2
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(LIST, {"action": "export_xlsx", ACTION_CHECKBOX_NAME: [e.pk for e in three], "index": 0})
    assert response.status_code == 302 and response["Location"] == JOBS
    assert len(queued) == 1  # the task, queued once the request commits; nothing built in the request
    job = ExportJob.objects.get()
    assert (job.state, job.total, job.done, job.requested_by) == ("queued", 3, 0, editor)
    page = client.get(JOBS).content.decode()
    assert "0 / 3 (0%)" in page and "排队中" in page and "下载 Excel" not in page

    queued[0]()  # the worker's turn
    job.refresh_from_db()
    assert (job.state, job.done) == ("done", 3) and job.file.name.startswith("exports/")
    with django_assert_max_num_queries(10):
        page = client.get(JOBS).content.decode()
    assert "3 / 3 (100%)" in page and "已完成" in page
    download = reverse("admin:submissions_exportjob_download", args=[job.pk])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    table = rows(b"".join(response.streaming_content))
    assert len(table) == 4
    assert sorted(row[table[0].index("党组织全称")] for row in table[1:]) == ["第0党支部", "第1党支部", "第2党支部"]


@pytest.mark.django_db
def test_the_filtered_export_view_also_goes_to_a_job(client, editor, three, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_ASYNC_THRESHOLD = 1
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("admin:submissions_submission_export", args=["xlsx"]), follow=True)
    assert response.redirect_chain[-1][0] == JOBS
    assert "已转入后台处理" in response.content.decode()
    assert ExportJob.objects.get().state == ExportJob.State.DONE


@pytest.mark.django_db
def test_only_the_requester_sees_and_downloads_a_job(client, editor, chief, reviewer, three):
    job = jobs.start(Submission.objects.all(), editor)
    jobs.run(job.pk)
    download = reverse("admin:submissions_exportjob_download", args=[job.pk])
    other = make_user("editor", username="another-editor")
    client.force_login(other)
    assert client.get(download).status_code == 404
    assert "第0党支部" not in client.get(JOBS).content.decode()
    client.force_login(reviewer)  # no export permission
    assert client.get(download).status_code in (403, 404)
    assert client.get(JOBS).status_code == 403
    client.logout()
    assert client.get(download).status_code == 302  # to the login page
    client.force_login(editor)
    assert client.get(download).status_code == 200


@pytest.mark.django_db
def test_a_job_run_twice_writes_one_file_and_a_done_job_is_left_alone(three):
    editor = make_user("editor", username="twice-editor")
    job = jobs.start(Submission.objects.all(), editor)
    jobs.run(job.pk)
    first = ExportJob.objects.get(pk=job.pk).file.name
    jobs.run(job.pk)  # handed out again after it finished
    assert ExportJob.objects.get(pk=job.pk).file.name == first


@pytest.mark.django_db
def test_old_export_jobs_and_their_files_are_pruned(three):
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from submissions.review import tasks

    editor = make_user("editor", username="prune-editor")
    old, new = (jobs.start(Submission.objects.all(), editor) for _ in range(2))
    for job in (old, new):
        jobs.run(job.pk)
    old_file = ExportJob.objects.get(pk=old.pk).file.name
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    tasks.prune_exports()
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [new.pk]
    assert not default_storage.exists(old_file)
    assert default_storage.exists(ExportJob.objects.get(pk=new.pk).file.name)
