"""The newsroom: drafting, editing, revisions, sign-off, publishing and the Word export of articles."""
