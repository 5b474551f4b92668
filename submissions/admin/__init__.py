"""The newsroom's admin. One module per area; each registers its own models."""

from submissions.admin import campaign, exports, mailbox, review, showcase, site, submission  # noqa: F401
