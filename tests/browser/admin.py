"""Logging into the admin through its login form, as a person does (django-axes sees a real request)."""

from tests.factories import PASSWORD


def login(page, base, username, next_path="/admin/"):
    """Log `username` in through the form and wait until `next_path` has loaded."""
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}{next_path}")
