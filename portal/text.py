"""Control characters: removed from everything typed, and from everything written out.

A control character (U+0000–U+001F, U+007F–U+009F) other than newline and tab has no place in
an entry, a comment or an article: XML (RSS, sitemap, Word) cannot hold most of them, a
spreadsheet reads a leading one past the formula guard, and NUL breaks PostgreSQL. Input is
cleaned once, for every form, by `portal.middleware.CleanInputMiddleware`; exports and feeds
call `strip_controls` again on what they write, since rows stored before may hold them.
"""

import re

CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but tab (09) and newline (0a)


def strip_controls(value):
    """The text without control characters (a browser's CRLF becomes LF). Anything that is not
    a str is returned as it is."""
    if not isinstance(value, str):
        return value
    return CONTROLS.sub("", value)
