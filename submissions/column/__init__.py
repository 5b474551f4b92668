"""The public column: list, article, comments, reading counts, search page, feeds, sharing and public media."""
