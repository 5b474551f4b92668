"""Forms of the public site and the editors' intake: the entry, its parts, and the tracking pages."""
