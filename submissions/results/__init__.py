"""Results and certificates (issue 28, item 5): awards for selected entries, thank-you and
appointment letters, each a signed PDF with a number that the public verification page checks."""
