"""The results area's bindings, made from the app's ready(): the workflow's "certificate_pdf" effect
and the deploy check on the signing key."""

from django.core import checks

from submissions.platform import tasks
from submissions.results import keys
from submissions.workflow import effects

RENDER = "submissions.results.tasks.render_certificate"  # by path: the web process never imports WeasyPrint


def issued(change):
    """The workflow's "certificate_pdf" effect (a certificate issued, committed): render and sign it in the worker."""
    tasks.enqueue(RENDER, change.certificate_id)


def connect():
    effects.register("certificate_pdf", issued)
    checks.register(keys.deploy_check, checks.Tags.security, deploy=True)
