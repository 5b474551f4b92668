"""The newsroom's admin. One module per area; each registers its own models."""

from submissions.admin import (  # noqa: F401
    campaign,
    experts,
    exports,
    interview,
    mailbox,
    notice,
    recommend,
    results,
    review,
    showcase,
    site,
    submission,
    video,
    vote,
)
