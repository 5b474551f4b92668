"""Waiting for the receipt after a submit. The form is posted by static/js/upload.js, whose answer
is written into the same document after the address is changed: the address says /receipt/
before the receipt's own stylesheets have loaded, and a click away at that moment cancels them
(a failed request in the page's watch). The receipt is there once its stylesheets are."""

STYLESHEETS_LOADED = "() => [...document.querySelectorAll('link[rel=stylesheet]')].every((link) => link.sheet)"


def wait_for_receipt(page, timeout=None):
    options = {} if timeout is None else {"timeout": timeout}
    page.wait_for_url("**/receipt/", **options)
    page.wait_for_selector("[data-reference]", **options)
    page.wait_for_function(STYLESHEETS_LOADED, **options)
