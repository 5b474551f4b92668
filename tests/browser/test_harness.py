"""The browser tests' own harness: what the page watch counts as an error, and a live server
that ends the connections a browser keeps open before it stops sharing the database."""

import http.client
import threading

import pytest
from django.test.testcases import _StaticFilesHandler

from tests.conftest import PageWatch, _LiveServerThread

pytestmark = pytest.mark.browser
PAGE = "<!doctype html><title>t</title><link rel=icon href=/static/img/favicon.46f53725b3cf.svg><img src=/static/img/a.png alt=a>"


def _watched(browser, favicon, image):
    """A page (served by the route, not by the portal) whose favicon and image are answered as asked.
    Closed once its favicon request has ended (answered or failed), however long Chromium takes to
    ask for it after the load: no fixed wait."""
    context = browser.new_context()
    page = context.new_page()
    page.watch = PageWatch(page)
    ended = []
    for event in ("requestfinished", "requestfailed"):
        page.on(event, lambda request: "/favicon." in request.url and ended.append(request.url))
    page.route("http://portal.test/", lambda route: route.fulfill(status=200, content_type="text/html", body=PAGE))
    page.route("**/favicon.*.svg", favicon)
    page.route("**/a.png", image)
    page.goto("http://portal.test/")
    page.wait_for_load_state("networkidle")
    for _ in range(600):  # a bound for a broken browser only (30 s), not a guess at its speed
        if ended:
            break
        page.wait_for_timeout(50)
    assert ended, "Chromium never asked for the favicon"
    context.close()
    return page.watch.errors


def _ok(route):
    route.fulfill(status=200, content_type="image/png", body=b"")


def test_an_aborted_favicon_is_not_an_error_but_any_other_abort_is(browser):
    assert _watched(browser, favicon=lambda route: route.abort("aborted"), image=_ok) == []
    errors = _watched(browser, favicon=_ok, image=lambda route: route.abort("aborted"))
    # Chromium asks for the image once, or twice when its preload and the <img> do not meet in
    # time (a busy machine): each request aborted is counted, and nothing else.
    assert errors and set(errors) == {"failed: http://portal.test/static/img/a.png net::ERR_ABORTED"}


def test_a_missing_favicon_is_an_error(browser):
    errors = _watched(browser, favicon=lambda route: route.fulfill(status=404, body=""), image=_ok)
    assert "HTTP 404: http://portal.test/static/img/favicon.46f53725b3cf.svg" in errors


def test_the_live_server_ends_a_kept_open_connection_when_it_stops():
    thread = _LiveServerThread("localhost", _StaticFilesHandler, port=0)
    thread.daemon = True
    before = set(threading.enumerate())
    thread.start()
    thread.is_ready.wait()
    connection = http.client.HTTPConnection("localhost", thread.port, timeout=10)
    connection.request("GET", "/static/img/favicon.svg")
    response = connection.getresponse()
    response.read()
    assert response.status == 200 and not response.will_close  # HTTP/1.1: the connection stays open
    serving = [t for t in set(threading.enumerate()) - before if t is not thread]
    assert serving and all(t.is_alive() for t in serving)  # the thread that serves it waits for more
    thread.terminate()
    assert not any(t.is_alive() for t in serving)
    connection.close()
