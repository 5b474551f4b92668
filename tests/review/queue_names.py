"""The queues each role of the newsroom sees, in the registry's order (review/queues.py QUEUES), written out
once for the tests that ask who sees what (the product's list, not read from the code)."""

AFTER_SHORTLIST = [  # interviews (专题融媒采访) and the experts' commentaries (专家智库)
    "to_interview",
    "interview_proposed",
    "interview_rescheduling",
    "interview_upcoming",
    "interview_report",
    "commentary_written",
    "commentary_overdue",
]
EDITOR = ["triage", "eligibility", "decide", "reviews", "accepted", "sent_back", "comments", *AFTER_SHORTLIST]
CHIEF = [
    "triage",
    "eligibility",
    "decide",
    "reviews",
    "accepted",
    "sent_back",
    "signoff",
    "scheduled",
    "comments",
    *AFTER_SHORTLIST,
]
