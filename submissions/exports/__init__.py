"""Every export lives in this package: entries to Excel/CSV, articles to Word."""
