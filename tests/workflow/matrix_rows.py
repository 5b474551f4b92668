"""The rows of the permission matrix (tests/workflow/test_permission_matrix.py): every URL of the
site with the status each kind of visitor must get, and the helpers that write a row's statuses."""

from tests.workflow.matrix_world import ANON, BODY, CHIEF, EDITOR, EXPERT, OTHER, OTHER_BODY, OWNER, REVIEWER, SECRET

ACTORS = (ANON, OWNER, OTHER, REVIEWER, EDITOR, CHIEF, BODY, OTHER_BODY, EXPERT)
OUTSIDERS = {ANON, OWNER, OTHER}  # no account
BODIES = {BODY, OTHER_BODY}  # accounts outside the newsroom: the bodies' workspace only
OUTSIDE_ACCOUNTS = BODIES | {EXPERT}  # signed in, never in the admin: a body's workspace, an expert's own page
NEWSROOM = {REVIEWER, EDITOR, CHIEF}
EDITORS = {EDITOR, CHIEF}
NOBODY = set()

EXPORT_ACTION = ("POST", {"action": "export_csv", "_selected_action": "{entry.pk}", "index": "0"})


def everyone(status):
    return dict.fromkeys(ACTORS, status)


def only(allowed, ok=200, no=404):
    return {actor: ok if actor in allowed else no for actor in ACTORS}


def admin(allowed, ok=200):
    """An admin page: outsiders and bodies are sent to log in, members without the permission get 403."""
    return {actor: 302 if actor in OUTSIDERS | OUTSIDE_ACCOUNTS else ok if actor in allowed else 403 for actor in ACTORS}


def intake(allowed):
    """The intake answers for itself (admin_site.py): signed out, to the login page; signed in without the permission, 403."""
    return admin(allowed) | {actor: 403 for actor in OUTSIDE_ACCOUNTS if actor not in allowed}


def workspace(allowed, ok=200, no=404):
    """A page of the bodies' workspace: outsiders are sent to log in; reviewers and experts (no screening permission) get 403;
    an account that may not screen this entry is not told it exists (404)."""
    return {
        actor: 302 if actor in OUTSIDERS else 403 if actor in (REVIEWER, EXPERT) else ok if actor in allowed else no
        for actor in ACTORS
    }


MATRIX = [
    # The public site
    ("/", "GET", everyone(200)),
    ("/healthz", "GET", everyone(200)),
    ("/metrics", "GET", everyone(200)),  # the test client is 127.0.0.1, a listed address (tests/platform/test_ops.py: the rule)
    ("/form-token/", "GET", everyone(200)),
    ("/submit/", "GET", everyone(302)),
    ("/call/", "GET", everyone(302)),
    ("/call/{campaign.slug}/", "GET", everyone(200)),
    ("/call/{campaign.slug}/submit/", "GET", everyone(200)),
    ("/call/no-such-call/submit/", "GET", everyone(404)),
    ("/call/{campaign.slug}/form.docx", "GET", everyone(200)),
    ("/call/no-such-call/form.docx", "GET", everyone(404)),
    ("/call/import/no-such-job-0000000000000000000000000000/status/", "GET", everyone(200)),
    ("/call/import/x/status/", "POST", everyone(405)),
    # A staged photo's random key is the only way to its thumbnail; once the entry is saved, it is gone.
    ("/call/photo/{staged_photo.upload_key}/thumbnail/", "GET", everyone(200)),
    ("/call/photo/{staged_photo.upload_key}/thumbnail/", "POST", everyone(405)),
    ("/call/photo/{private_photo.pk}/thumbnail/", "GET", everyone(404)),
    ("/call/photo/{saved_key}/thumbnail/", "GET", everyone(404)),
    ("/track/", "GET", everyone(200)),
    ("/track/", "POST", everyone(200)),  # the lost-link form, answered the same for every address
    ("/track/{t}/", "GET", {**only({OWNER}), OTHER: 200}, {OWNER}),  # other: their own entry, not ours
    ("/track/{t}/receipt/", "GET", {**only({OWNER}), OTHER: 200}, {OWNER}),
    ("/track/{t}/edit/", "GET", {**only({OWNER}, ok=302), OTHER: 302}),  # under review: back to the tracking page
    ("/track/{returned.tracking_token}/edit/", "GET", everyone(200)),  # whoever holds the link may revise
    ("/track/{t}/withdraw/", "GET", {**only({OWNER}), OTHER: 200}, {OWNER}),
    ("/track/{t}/withdraw/", "POST", {**only({OWNER}), OTHER: 200}),  # not confirmed: the form again
    ("/track/{entry.tracking_token}x/", "GET", everyone(404)),
    ("/track/{entry.tracking_token}x/edit/", "GET", everyone(404)),
    ("/track/{entry.tracking_token}x/withdraw/", "POST", everyone(404)),
    ("/showcase/", "GET", everyone(200)),
    ("/showcase/?q=" + SECRET[:4], "GET", everyone(200)),  # the search box repeats the query, not the name
    ("/showcase/{article.slug}/", "GET", everyone(200)),
    ("/showcase/{draft_article.slug}/", "GET", everyone(404)),
    ("/showcase/{article.slug}/comment/", "POST", everyone(200)),  # empty: the article with the errors
    ("/showcase/{article.slug}/comment/", "GET", everyone(405)),
    ("/showcase/{draft_article.slug}/comment/", "POST", everyone(404)),
    ("/showcase/feed/", "GET", everyone(200)),
    ("/showcase/{article.slug}/poster/", "GET", everyone(200)),
    ("/showcase/{draft_article.slug}/poster/", "GET", everyone(404)),
    ("/showcase/{article.slug}/poster.jpg", "GET", everyone(200)),
    ("/showcase/{draft_article.slug}/poster.jpg", "GET", everyone(404)),
    ("/showcase/{article.slug}/print/", "GET", everyone(200)),
    ("/showcase/{draft_article.slug}/print/", "GET", everyone(404)),
    ("/showcase/{article.slug}/read/", "GET", everyone(200)),  # the reading beacon's tokens, nothing of the reader's
    ("/showcase/{article.slug}/read/", "POST", everyone(403)),  # without the read token: nothing counted
    ("/showcase/{draft_article.slug}/read/", "POST", everyone(403)),
    # 专家智库: the panel's public pages; an expert writes their own requests, signed in or through the signed link.
    ("/experts/", "GET", everyone(200)),
    ("/experts/{panel_expert.slug}/", "GET", everyone(200)),
    ("/experts/no-such-expert/", "GET", everyone(404)),
    ("/experts/login/", "GET", everyone(200)),
    ("/experts/logout/", "POST", everyone(302)),
    ("/experts/mine/", "GET", {**everyone(200), **dict.fromkeys(OUTSIDERS, 302)}),  # one's own requests: none, but EXPERT's
    ("/experts/request/{commentary.pk}/", "GET", {**everyone(404), **dict.fromkeys(OUTSIDERS, 302), EXPERT: 200}),
    ("/experts/request/{other_commentary.pk}/", "GET", {**everyone(404), **dict.fromkeys(OUTSIDERS, 302)}),
    ("/experts/write/{commentary_link}/", "GET", everyone(200)),  # whoever holds the link (it is mailed to the expert)
    ("/experts/write/{commentary_link}x/", "GET", everyone(404)),
    # 品牌档案: each brand's page, public once an article of it is.
    ("/brands/", "GET", everyone(200)),
    ("/brands/{brand.slug}/", "GET", everyone(200)),
    ("/brands/no-such/", "GET", everyone(404)),
    ("/brands/of/{article.slug}/", "GET", everyone(302)),
    ("/brands/of/{draft_article.slug}/", "GET", everyone(404)),
    ("/sitemap.xml", "GET", everyone(200)),
    ("/sitemap-articles.xml", "GET", everyone(200)),
    ("/sitemap-articles.xml?p=9", "GET", everyone(404)),
    ("/robots.txt", "GET", everyone(200)),
    ("/favicon.ico", "GET", everyone(301)),  # to the static file
    ("/i18n/setlang/", "POST", everyone(302)),
    # Media: published photos are public; the rest needs the entry's link or the newsroom.
    ("/media/{public_photo.display.name}", "GET", everyone(200)),
    ("/media/{private_photo.image.name}?t={t}", "GET", only({OWNER, EDITOR, CHIEF})),
    ("/media/{private_photo.thumbnail.name}?t={t}", "GET", only({OWNER, EDITOR, CHIEF})),
    ("/media/{assigned_photo.display.name}", "GET", only({REVIEWER, EDITOR, CHIEF})),  # reviewers: what they score
    ("/media/{attachment.file.name}?t={t}", "GET", only({OWNER, EDITOR, CHIEF})),
    ("/media/{private_photo.display.name}?t={other.tracking_token}", "GET", only({EDITOR, CHIEF})),
    ("/media/photos/../../portal/settings.py", "GET", everyone(404)),
    ("/media/{public_photo.display.name}", "POST", everyone(405)),
    # The admin's own pages
    ("/admin/login/", "GET", {**everyone(200), **dict.fromkeys(NEWSROOM, 302)}),
    ("/admin/logout/", "POST", admin(NEWSROOM)),
    ("/admin/", "GET", admin(NEWSROOM)),
    ("/admin/submissions/", "GET", admin(NEWSROOM)),
    ("/admin/auth/", "GET", admin(NOBODY) | dict.fromkeys(NEWSROOM, 404)),
    ("/admin/axes/", "GET", admin(NOBODY) | dict.fromkeys(NEWSROOM, 404)),
    ("/admin/password_change/", "GET", admin(NEWSROOM)),
    ("/admin/password_change/done/", "GET", admin(NEWSROOM)),
    ("/admin/jsi18n/", "GET", admin(NEWSROOM)),
    ("/admin/autocomplete/", "GET", admin(NOBODY)),  # without a valid field: refused for all
    # "View on site": only what the user may view in the admin (a reviewer learnt unpublished slugs).
    ("/admin/r/{showcase_type}/{article.pk}/", "GET", admin(EDITORS, ok=302) | {REVIEWER: 404}),
    ("/admin/r/{showcase_type}/{draft_article.pk}/", "GET", admin(EDITORS, ok=302) | {REVIEWER: 404}),
    ("/admin/r/{showcase_type}/999999/", "GET", admin(NOBODY) | dict.fromkeys(NEWSROOM, 404)),
    ("/admin/auth/user/{editor_user.pk}/password/", "GET", admin(NOBODY)),
    ("/admin/no/such/page/", "GET", admin(NOBODY) | dict.fromkeys(NEWSROOM, 404)),
    ("/admin/intake/", "GET", intake(EDITORS)),
    ("/admin/intake/", "POST", intake(EDITORS)),  # empty: the form with its errors
    ("/admin/intake/?mail={mail.pk}", "GET", intake(EDITORS)),  # a mailbox message opened in the intake form
    ("/admin/submissions/mailboxmessage/{mail.pk}/raw/", "GET", admin(EDITORS)),  # the raw message, downloaded
    ("/admin/dashboard/", "GET", admin(EDITORS)),
    # Entries: reviewers see only those assigned to them (the list is theirs, other entries do not exist).
    ("/admin/submissions/submission/", "GET", admin(NEWSROOM), EDITORS),
    ("/admin/submissions/submission/?q=" + SECRET[:4], "GET", admin(NEWSROOM), EDITORS),
    # Lookups on what a reviewer's list hides (评分后可见) are refused, not answered.
    ("/admin/submissions/submission/?score__gte=70", "GET", admin(NEWSROOM) | {REVIEWER: 400}),
    ("/admin/submissions/submission/?score=69.00", "GET", admin(NEWSROOM) | {REVIEWER: 400}),
    ("/admin/submissions/submission/?review_count__gte=2", "GET", admin(NEWSROOM) | {REVIEWER: 400}),
    ("/admin/submissions/submission/?reviews__total__gte=70", "GET", admin(NOBODY) | dict.fromkeys(NEWSROOM, 400)),
    ("/admin/submissions/submission/{entry.pk}/change/", "GET", admin(EDITORS) | {REVIEWER: 404}, EDITORS),
    ("/admin/submissions/submission/{assigned.pk}/change/", "GET", admin(NEWSROOM) | {REVIEWER: 302}),  # to scoring
    ("/admin/submissions/submission/{entry.pk}/history/", "GET", admin(EDITORS), EDITORS),
    ("/admin/submissions/submission/{entry.pk}/history/{entry_edit}/", "GET", admin(EDITORS)),
    # A past version is read only for everyone: no form for a reviewer, a post refused, never a 500.
    ("/admin/submissions/submission/{assigned.pk}/history/{assigned_edit}/", "GET", admin(EDITORS)),
    ("/admin/submissions/submission/{assigned.pk}/history/{assigned_edit}/", "POST", admin(NOBODY)),
    ("/admin/submissions/submission/{entry.pk}/history/{entry_edit}/", "POST", admin(NOBODY)),
    ("/admin/submissions/submission/{entry.pk}/transition/", "POST", admin(EDITORS, ok=302)),
    ("/admin/submissions/submission/{entry.pk}/transition/", "GET", admin(NEWSROOM, ok=302)),
    ("/admin/submissions/submission/{assigned.pk}/score/first/", "GET", admin({REVIEWER})),
    ("/admin/submissions/submission/{assigned.pk}/score/first/", "POST", admin({REVIEWER})),  # empty: errors
    ("/admin/submissions/submission/{assigned.pk}/score/final/", "GET", admin(NOBODY)),  # not their round
    ("/admin/submissions/submission/{entry.pk}/score/first/", "GET", admin(EDITORS, ok=403) | {REVIEWER: 404}),
    ("/admin/submissions/submission/next-unscored/", "GET", admin(NEWSROOM, ok=302)),
    # The workbench: assign and unassign on the entry's page (a scored assignment is kept).
    ("/admin/submissions/submission/{entry.pk}/assign/", "POST", admin(EDITORS, ok=302)),
    ("/admin/submissions/submission/{entry.pk}/assign/", "GET", admin(NEWSROOM, ok=302)),
    ("/admin/submissions/submission/{assigned.pk}/unassign/{assignment.pk}/", "POST", admin(EDITORS, ok=302)),
    ("/admin/submissions/submission/{assigned.pk}/unassign/{assignment.pk}/", "GET", admin(NEWSROOM, ok=302)),
    # The queues (待办): each role's own; another role's queue does not exist for them.
    ("/admin/queue/triage/", "GET", admin(EDITORS) | {REVIEWER: 404}),
    ("/admin/queue/triage/next/", "GET", admin(EDITORS, ok=302) | {REVIEWER: 404}),
    ("/admin/queue/signoff/", "GET", admin({CHIEF}) | {REVIEWER: 404, EDITOR: 404}),
    ("/admin/queue/score/", "GET", admin({REVIEWER}) | {EDITOR: 404, CHIEF: 404}),
    ("/admin/queue/no-such-queue/", "GET", admin(NOBODY) | dict.fromkeys(NEWSROOM, 404)),
    ("/admin/submissions/submission/export/csv/", "GET", admin(EDITORS)),
    ("/admin/submissions/submission/export/xlsx/", "GET", admin(EDITORS)),
    ("/admin/submissions/submission/export/pdf/", "GET", admin(NOBODY)),
    # Export jobs: each editor sees and downloads their own (another's is "not found": redirect or 404).
    ("/admin/submissions/exportjob/", "GET", admin(EDITORS)),
    ("/admin/submissions/exportjob/add/", "GET", admin(NOBODY)),
    ("/admin/submissions/exportjob/{export_job.pk}/change/", "GET", admin(NOBODY) | {EDITOR: 200, CHIEF: 302, REVIEWER: 403}),
    ("/admin/submissions/exportjob/{export_job.pk}/history/", "GET", admin(NOBODY) | {EDITOR: 200, CHIEF: 302, REVIEWER: 302}),
    ("/admin/submissions/exportjob/{export_job.pk}/delete/", "GET", admin(NOBODY) | {EDITOR: 200, CHIEF: 302, REVIEWER: 403}),
    ("/admin/submissions/exportjob/{export_job.pk}/download/", "GET", admin(NOBODY) | {EDITOR: 200, CHIEF: 404, REVIEWER: 404}),
    ("/admin/submissions/exportjob/{export_job.pk}/", "GET", admin(NEWSROOM, ok=302) | {a: 302 for a in NEWSROOM}),
    # A bulk action: reviewers do not have it (their list comes back, without the entry), editors get the file.
    ("/admin/submissions/submission/", EXPORT_ACTION, admin(NEWSROOM), EDITORS),
    # Publishing
    # Another reviewer's review of the private entry: not there for this reviewer (the admin's redirect).
    ("/admin/submissions/review/{foreign_review.pk}/change/", "GET", admin(EDITORS) | {REVIEWER: 302}, EDITORS),
    ("/admin/submissions/showcase/from-entry/", "GET", admin(EDITORS)),
    ("/admin/submissions/showcase/from-entry/{accepted.pk}/", "GET", admin(EDITORS)),
    ("/admin/submissions/showcase/from-entry/{accepted.pk}/", "POST", admin(EDITORS)),  # empty: the form again
    ("/admin/submissions/showcase/{draft_article.pk}/preview/", "GET", admin(EDITORS)),
    ("/admin/submissions/showcase/{draft_article.pk}/revisions/", "GET", admin(EDITORS)),
    ("/admin/submissions/showcase/{draft_article.pk}/revisions/?a=1&b=2", "GET", admin(EDITORS)),
    ("/admin/submissions/showcase/{draft_article.pk}/revisions/1/revert/", "POST", admin(EDITORS, ok=302)),
    ("/admin/submissions/showcase/{draft_article.pk}/revisions/1/revert/", "GET", admin(NOBODY) | dict.fromkeys(NEWSROOM, 404)),
    ("/admin/submissions/showcase/{draft_article.pk}/move/", "POST", admin(EDITORS, ok=302)),
    ("/admin/submissions/showcase/{draft_article.pk}/docx/", "GET", admin(EDITORS)),
    # 公示 and objections: the notice is public; its period is over, so the form answers no one; a receipt
    # is for whoever holds its address; handling and evidence are the editors'.
    ("/notice/{notice.campaign.slug}/", "GET", everyone(200)),
    ("/notice/{notice.campaign.slug}/objection/", "GET", everyone(403)),
    ("/notice/{notice.campaign.slug}/objection/{objection.token}/", "GET", everyone(200)),
    ("/notice/{notice.campaign.slug}/objection/00000000000000000000000000000000/", "GET", everyone(404)),
    ("/admin/submissions/objection/{objection.pk}/handle/", "GET", admin(EDITORS)),
    ("/admin/submissions/objection/{objection.pk}/evidence/{evidence.pk}/", "GET", admin(EDITORS)),
    # Certificates: verifying one is public; its PDF is the newsroom's editors'; revoking, the chief editors'.
    ("/results/{campaign.slug}/", "GET", everyone(200)),  # a campaign's results page (nothing announced yet)
    ("/results/no-such-campaign/", "GET", everyone(404)),
    ("/verify/", "GET", everyone(200)),
    ("/verify/{certificate.number}/", "GET", everyone(200)),
    ("/verify/DZRB-1999-9999/", "GET", everyone(404)),
    ("/admin/submissions/certificate/{certificate.pk}/pdf/", "GET", admin(EDITORS)),
    ("/admin/submissions/certificate/{certificate.pk}/revoke/", "GET", admin({CHIEF})),
    # The public vote: the board and the confirmation are public; a vote needs a confirmed number (else: to
    # the confirmation); settings, standings and the audit log are the editors', reviewers see nothing of it.
    ("/vote/{vote.campaign.slug}/", "GET", everyone(200)),
    ("/vote/{vote.campaign.slug}/voter/", "GET", everyone(200)),
    ("/vote/{vote.campaign.slug}/voter/", "POST", everyone(400)),  # empty: the form again
    ("/vote/{vote.campaign.slug}/{vote_entry.pk}/", "POST", everyone(302)),
    ("/vote/{vote.campaign.slug}/{vote_entry.pk}/", "GET", everyone(405)),
    ("/vote/no-such-vote/", "GET", everyone(404)),
    ("/admin/submissions/votesettings/{vote.pk}/standings/", "GET", admin(EDITORS)),
    # Screening: a body works on its own area's entries only (another area's do not exist for it), never in the admin.
    ("/recommend/login/", "GET", everyone(200) | dict.fromkeys(EDITORS | BODIES, 302)),  # signed in: to the workspace
    ("/recommend/logout/", "POST", everyone(302)),
    ("/recommend/", "GET", workspace(EDITORS | BODIES)),
    ("/recommend/{screened.pk}/", "GET", workspace(EDITORS | {BODY})),
    ("/recommend/{entry.pk}/", "GET", workspace(EDITORS), EDITORS),  # no body has it: the newsroom checks it
    ("/recommend/{screened.pk}/form.docx", "GET", workspace(EDITORS | {BODY})),
    ("/recommend/{recommended.pk}/scan/", "GET", workspace(EDITORS | {BODY})),
    ("/recommend/{screened.pk}/scan/", "GET", workspace(NOBODY)),  # nothing uploaded
    ("/recommend/{screened.pk}/check/", "POST", workspace(EDITORS | {BODY}, ok=400)),  # empty: the page with its errors
    # Not eligible yet: nothing to recommend or decline (back to the entry, with a message).
    ("/recommend/{screened.pk}/recommend/", "POST", workspace(EDITORS | {BODY}, ok=302)),
    ("/recommend/{screened.pk}/decline/", "POST", workspace(EDITORS | {BODY}, ok=302)),
    # The body uploads (empty: the page with its error); an editor reads the scan but does not replace it.
    ("/recommend/{recommended.pk}/scan/upload/", "POST", workspace({BODY}, ok=400) | dict.fromkeys(EDITORS, 302)),
    ("/admin/submissions/submission/{screened.pk}/body/", "POST", admin(EDITORS, ok=302)),
    ("/admin/submissions/submission/{screened.pk}/body/", "GET", admin(NEWSROOM, ok=302)),
    # Interviews: the contact answers through the entry's link (empty: the page with its errors); a calendar
    # file is for whoever has its link, once confirmed; a feed for the staff member whose signed link it is.
    ("/track/{accepted.tracking_token}/interview/{interview.pk}/pick/", "POST", everyone(200)),
    ("/track/{accepted.tracking_token}/interview/{interview.pk}/counter/", "POST", everyone(200)),
    ("/track/{t}/interview/{interview.pk}/pick/", "POST", everyone(404)),  # another entry's link
    ("/interview/{confirmed_interview.pk}/{confirmed_interview.token}.ics", "GET", everyone(200)),
    ("/interview/{interview.pk}/{interview.token}.ics", "GET", everyone(404)),  # not confirmed yet
    ("/interview/{confirmed_interview.pk}/{interview.token}.ics", "GET", everyone(404)),
    ("/interview/feed/{feed_token}.ics", "GET", everyone(200)),
    ("/interview/feed/1.forged.ics", "GET", everyone(404)),
    ("/admin/submissions/interview/{interview.pk}/act/", "GET", admin(EDITORS)),
    ("/admin/submissions/interview/calendar/", "GET", admin(NEWSROOM)),
    ("/admin/submissions/commentaryrequest/{commentary.pk}/act/", "GET", admin(EDITORS)),
    # The article's draft takes a photo of its entry's interview (none here: back to the article, with a message).
    ("/admin/submissions/showcase/{draft_article.pk}/interview-photo/", "POST", admin(EDITORS, ok=302)),
    # Chasing scores (催评): editors remind the reviewers of one entry, or of every entry waiting.
    ("/admin/submissions/submission/{entry.pk}/remind/", "POST", admin(EDITORS, ok=302)),
    ("/admin/submissions/submission/remind-waiting/", "POST", admin(EDITORS, ok=302)),
]

# One line per admin model: (app/model, world object, may view, may add, may delete).
ADMIN_MODELS = [
    ("submissions/submission", "entry", EDITORS, NOBODY, NOBODY),  # entries come from the form or /admin/intake/
    ("submissions/campaign", "campaign", EDITORS, EDITORS, NOBODY),
    ("submissions/region", "region", EDITORS, NOBODY, NOBODY),
    ("submissions/review", "review", NEWSROOM, NOBODY, NOBODY),  # scored on the entry's page; reviewers: their own
    ("submissions/reviewassignment", "assignment", EDITORS, EDITORS, EDITORS),
    ("submissions/reviewerprofile", "profile", EDITORS, EDITORS, EDITORS),  # declared affiliations, for conflicts
    ("submissions/showcase", "article", EDITORS, EDITORS, NOBODY),
    ("submissions/comment", "comment", EDITORS, NOBODY, NOBODY),
    ("submissions/sitesettings", "site", EDITORS, NOBODY, NOBODY),
    ("submissions/notificationtemplate", "template", EDITORS, NOBODY, NOBODY),
    ("submissions/outboxmessage", "message", EDITORS, NOBODY, NOBODY),
    ("submissions/mailboxmessage", "mail", EDITORS, NOBODY, NOBODY),  # fetched by fetch_mailbox; entered at /admin/intake/
    ("submissions/publicnotice", "notice", EDITORS, EDITORS, NOBODY),  # a published notice is not deleted
    ("submissions/objection", "objection", EDITORS, NOBODY, NOBODY),  # from the public form; moved by handle/
    ("submissions/certificate", "certificate", EDITORS, EDITORS, NOBODY),  # issued, never deleted: revoked instead
    ("submissions/votesettings", "vote", EDITORS, EDITORS, NOBODY),
    ("submissions/recommendingbody", "body", EDITORS, EDITORS, NOBODY),
    ("submissions/interview", "interview", EDITORS, EDITORS, NOBODY),  # planned, then moved; cancelled, not deleted
    ("submissions/video", "video", EDITORS, EDITORS, EDITORS),
    ("submissions/expert", "panel_expert", EDITORS, EDITORS, NOBODY),  # the panel: kept with their commentaries
    (
        "submissions/commentaryrequest",
        "commentary",
        EDITORS,
        EDITORS,
        NOBODY,
    ),  # withdrawn, not deleted  # a body with entries is not deleted
    ("submissions/eligibilitycheck", "check", EDITORS, NOBODY, NOBODY),  # made on the workspace's checklist
    (
        "submissions/recommendation",
        "recommendation",
        EDITORS,
        NOBODY,
        NOBODY,
    ),  # made by the body's recommend  # turned off, never deleted
    ("submissions/vote", "ballot", EDITORS, NOBODY, NOBODY),  # the audit log: votes come from the public page
    ("auth/user", "editor_user", NOBODY, NOBODY, NOBODY),  # accounts and roles: superusers only
    ("auth/group", "group", NOBODY, NOBODY, NOBODY),
    ("axes/accessattempt", "attempt", NOBODY, NOBODY, NOBODY),
    ("axes/accesslog", "access_log", NOBODY, NOBODY, NOBODY),
    ("axes/accessfailurelog", "failure_log", NOBODY, NOBODY, NOBODY),
    ("django_q/schedule", "schedule", NOBODY, NOBODY, NOBODY),  # the task queue: superusers only
    ("django_q/success", "task_done", NOBODY, NOBODY, NOBODY),
    ("django_q/failure", "task_failed", NOBODY, NOBODY, NOBODY),
    ("django_q/ormq", "task_queued", NOBODY, NOBODY, NOBODY),
]


def admin_rows(model, key, view, add, delete):
    base = f"/admin/{model}/"
    obj = f"{base}{{{key}.pk}}/"
    return [
        (base, "GET", admin(view)),
        (f"{base}add/", "GET", admin(add)),
        (f"{obj}change/", "GET", admin(view)),
        (f"{obj}history/", "GET", admin(view)),
        (f"{obj}delete/", "GET", admin(delete)),
        (obj, "GET", admin(NEWSROOM, ok=302) | {a: 302 for a in NEWSROOM}),  # old-style URL: a redirect to change/
    ]


ALL_ROWS = MATRIX + [
    row
    for spec in ADMIN_MODELS
    for row in admin_rows(*spec)
    if (row[0], row[1]) not in {(url, method) for url, method, *_ in MATRIX if isinstance(method, str)}  # MATRIX says better
]

# URL patterns deliberately not in the matrix, with the reason.
UNCOVERED = {
    r"^admin/\(\?P<url>\.\*\)\$$": "the admin's catch-all; requested above as /admin/no/such/page/",
}
