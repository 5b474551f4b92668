"""The consequences of each move, declared as data: which effects a move has, and when each runs.

Nothing reacts to a StatusChange row by itself (no signal): transition() looks the move up in
EFFECTS and runs each of its effects exactly once, either inside the move's transaction or once
it has committed (WHEN says which, and why). docs/workflow.md shows the effects of every move
(`manage.py workflow_doc`).

A handler is a function of the StatusChange just written. The workflow binds the handlers of
the platform (page cache, search, public media) and its own notices here; an area binds its
effect by name from the app's ready() (`effects.register("overlap", hooks.moved)`), since the
core imports no area. At the end of ready(), check() makes sure every declared effect has
exactly one handler.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from submissions.models import Status as S
from submissions.platform import pagecache, public_media, search
from submissions.workflow import notices
from submissions.workflow.certificates import CERTIFICATE
from submissions.workflow.commentaries import COMMENTARY
from submissions.workflow.interviews import INTERVIEW
from submissions.workflow.machines import ARTICLE, ENTRY, LIVE, MACHINES
from submissions.workflow.objections import OBJECTION
from submissions.workflow.public_notice import NOTICE

A = ARTICLE.choices
log = logging.getLogger(__name__)

MAIL = "mail"
CACHE = "cache"
SEARCH = "search"
PUBLIC_MEDIA = "public_media"
OVERLAP = "overlap"
CERTIFICATE_PDF = "certificate_pdf"
OBJECTION_MAIL = "objection_mail"
INTERVIEW_MAIL = "interview_mail"
COMMENTARY_MAIL = "commentary_mail"
BRAND = "brand"


@dataclass(frozen=True)
class When:
    in_transaction: bool
    why: str
    guarded: bool = False  # in a savepoint of its own: if it fails, its rows go and the move stands


# The mails: the outbox rows are written with the move, so a process that dies after the commit
# cannot leave a stored move without its mail (the cluster test found a receipt never sent); a
# failing template rolls back its own savepoint only, and the sending is queued once committed.
MAIL_WHY = "the outbox is written with the move, in a savepoint: a failing template never undoes the move"


# Each effect, in the order a move runs them: when, and why then.
WHEN = {
    CACHE: When(True, "pagecache.bump(): at once, and again by itself once the transaction commits"),
    SEARCH: When(True, "a write to the search index: committed or rolled back with the move"),
    OVERLAP: When(
        True,
        "only marks the entry or article; the job is queued after commit, once per transaction with its text edits",
    ),
    BRAND: When(True, "the brand's row is made with the publication: committed or rolled back with the move"),
    MAIL: When(True, MAIL_WHY, guarded=True),
    PUBLIC_MEDIA: When(False, "files on disk: never linked for a publish that is rolled back"),
    CERTIFICATE_PDF: When(False, "queued for the worker: a PDF is rendered and signed only for an issue that committed"),
    OBJECTION_MAIL: When(True, MAIL_WHY, guarded=True),
    INTERVIEW_MAIL: When(True, MAIL_WHY, guarded=True),
    COMMENTARY_MAIL: When(True, MAIL_WHY, guarded=True),
}
# What each effect does, for docs/workflow.md.
DOES = {
    CACHE: "the public column's page cache is made stale (`platform/pagecache.py`)",
    SEARCH: "the article's search entry is dated by its publication (`platform/search`)",
    OVERLAP: "the overlap report of the entry, or the article's part in others', is made again (`overlap/hooks.py`)",
    MAIL: "the mails of `workflow/notices.py`: the submitter, the campaign mailbox, the chief editors or the editor",
    PUBLIC_MEDIA: "the article's photos are linked on the public path, or removed (`platform/public_media.py`)",
    CERTIFICATE_PDF: "the certificate's PDF is rendered and signed in the worker (`results/hooks.py`, `results/tasks.py`)",
    OBJECTION_MAIL: "the objector is sent the answer to their objection (`notice/hooks.py`)",
    INTERVIEW_MAIL: "the contact is sent the proposed dates or the cancellation, the staff the appointment (`interview/hooks.py`)",
    COMMENTARY_MAIL: "the expert is sent a revision request or a withdrawal, the requesting editor the commentary or the refusal (`experts/hooks.py`)",
    BRAND: "the entry's brand (品牌档案) is made on its first article's publication, its names kept current (`brands/hooks.py`)",
}

ANY = None  # in a rule: any status
# (machine, from, to, effects): a move has the effects of every rule it matches.
RULES = (
    # An entry: the submitter is told of every step they can see (accepted and published only
    # the first time: notices.py); a new or revised text has its overlap report made again.
    (ENTRY, ANY, S.SUBMITTED, {MAIL, OVERLAP}),
    (ENTRY, ANY, S.RESUBMITTED, {MAIL, OVERLAP}),
    (ENTRY, ANY, S.RETURNED, {MAIL}),
    (ENTRY, ANY, S.SHORTLISTED, {MAIL}),
    (ENTRY, ANY, S.DECLINED, {MAIL}),
    (ENTRY, S.SHORTLISTED, S.ACCEPTED, {MAIL}),
    (ENTRY, S.FINAL_REVIEW, S.ACCEPTED, {MAIL}),
    (ENTRY, S.ACCEPTED, S.PUBLISHED, {MAIL}),  # the article's link; its page effects are the article's move's
    # An article: sign-off is a step of its own (the chief editors are told of a request, the
    # editor of the answer); going on or off the column changes the public pages.
    (ARTICLE, ANY, A.AWAITING_SIGNOFF, {MAIL}),
    (ARTICLE, ANY, A.SIGNED_OFF, {MAIL}),
    (ARTICLE, A.AWAITING_SIGNOFF, A.DRAFT, {MAIL}),
    *((ARTICLE, ANY, state, {CACHE, SEARCH, PUBLIC_MEDIA, OVERLAP}) for state in LIVE),
    *((ARTICLE, ANY, state, {BRAND}) for state in LIVE),  # the brand's page (brands/) lists its live articles
    *((ARTICLE, state, ANY, {CACHE, PUBLIC_MEDIA, OVERLAP}) for state in LIVE),
    (CERTIFICATE, ANY, CERTIFICATE.choices.ISSUED, {CERTIFICATE_PDF}),  # a revoked one keeps its file
    # The campaign's results page lists each award in force with its number (results/<campaign>/).
    (CERTIFICATE, ANY, ANY, {CACHE}),
    *((OBJECTION, ANY, answered, {OBJECTION_MAIL}) for answered in (OBJECTION.choices.UPHELD, OBJECTION.choices.DISMISSED)),
    (NOTICE, ANY, ANY, {CACHE}),  # each phase changes the notice's public page (its list, how to object, its result)
    # An interview: the contact is mailed each proposal and a cancellation, the planner a request for
    # another date, the reporters and photographer the appointment with its calendar file.
    *((INTERVIEW, ANY, to, {INTERVIEW_MAIL}) for to in ("proposed", "rescheduling", "confirmed", "cancelled")),  # not done
    # An expert's commentary: the editor is told it was written or declined, the expert of a revision asked
    # for or a withdrawal (the request itself is mailed by experts.services.request); an accepted one is in
    # the article, the expert's page and the tracking page: in and out of accepted, the pages change.
    *((COMMENTARY, ANY, to, {COMMENTARY_MAIL}) for to in ("written", "declined", "requested", "withdrawn")),
    (COMMENTARY, ANY, "accepted", {CACHE}),
    (COMMENTARY, "accepted", ANY, {CACHE}),
)


def _effects_of(machine, frm, to):
    found = set()
    for rule_machine, rule_from, rule_to, effects in RULES:
        if rule_machine is machine and rule_from in (ANY, frm) and rule_to in (ANY, to):
            found |= effects
    return tuple(name for name in WHEN if name in found)


# (machine name, from, to) -> the move's effects, in the order they run; every move of both tables.
EFFECTS = {(machine.name, frm, to): _effects_of(machine, frm, to) for machine in MACHINES for frm, to in machine.table}

_handlers = {}


def register(name, handler):
    """Bind the one handler of a declared effect (a function of the StatusChange)."""
    if name not in WHEN:
        raise ImproperlyConfigured(f"workflow effect {name!r} is not declared (submissions.workflow.effects.WHEN)")
    if _handlers.get(name, handler) is not handler:
        raise ImproperlyConfigured(f"workflow effect {name!r} has a handler already: {_handlers[name]!r}")
    _handlers[name] = handler
    return handler


def handler(name):
    """The same as a decorator: `@effects.handler("overlap")`."""
    return lambda func: register(name, func)


def check():
    """Every declared effect has its handler (called at the end of the app's ready())."""
    missing = sorted(set(WHEN) - set(_handlers))
    if missing:
        raise ImproperlyConfigured(f"workflow effects without a handler: {', '.join(missing)}")


def run(machine, change):
    """Run the effects of the move `change` records: each once, now or once the transaction commits."""
    for name in EFFECTS[machine.name, change.from_status, change.to_status]:
        func, when = _handlers[name], WHEN[name]
        if when.guarded:
            _guarded(name, func, change)
        elif when.in_transaction:
            func(change)
        else:
            transaction.on_commit(lambda func=func: func(change))


def _guarded(name, func, change):
    try:
        with transaction.atomic():  # a savepoint: what the effect wrote goes if it fails, the move stays
            func(change)
    except Exception:
        log.exception(
            "workflow effect %s failed for %s %s → %s; the move stands", name, change.pk, change.from_status, change.to_status
        )


# The handlers of the platform and of the workflow itself; an area's are registered from ready().


@handler(MAIL)
def _mail(change):
    notices.moved(change)


@handler(CACHE)
def _cache(change):
    pagecache.bump()


@handler(SEARCH)
def _search(change):
    search.redate(change.showcase_id)


@handler(PUBLIC_MEDIA)
def _public_media(change):
    public_media.sync(change.showcase_id)
