"""Forms of the public site and the editors' intake: the entry, its parts, the Word import and the tracking pages."""
