"""The views of the public column."""
