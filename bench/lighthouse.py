"""Lighthouse's accessibility score of every public page (issue 14), at phone size, against a
running server. Not part of CI or `make bench` (it needs Node and Lighthouse from npm).

    npm install --prefix /tmp/lh lighthouse
    export DEBUG=1 DATABASE_URL=sqlite:////tmp/lh.sqlite3 MEDIA_ROOT=/tmp/lh_media
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py createcachetable
    .venv/bin/python manage.py seed_demo
    .venv/bin/python manage.py runserver 127.0.0.1:8765 &
    .venv/bin/python -m bench.lighthouse [--base http://127.0.0.1:8765] [--lighthouse /tmp/lh/node_modules/.bin/lighthouse]

With the server's DATABASE_URL (the campaign, an article and a tracking link are read from it).
Prints each page's score and every accessibility audit that did not pass; exits 1 when a page
scores below 1.0. CHROME_PATH (default /usr/bin/chromium) is the browser Lighthouse drives."""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

LIGHTHOUSE = "/tmp/lh/node_modules/.bin/lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"


def public_paths():
    """The public pages of the server's database (what seed_demo made)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.urls import reverse

    from submissions.models import Campaign, Showcase, Submission

    campaign = Campaign.objects.order_by("-opens_at").first()
    article = Showcase.objects.filter(state=Showcase.State.PUBLISHED).order_by("-published_at").first()
    entry = Submission.objects.exclude(tracking_token="").order_by("pk").first()
    if not (campaign and article and entry):
        sys.exit("No campaign, published article or entry in this database: run `manage.py seed_demo` first.")
    return {
        "home": "/",
        "call": reverse("calls:detail", args=[campaign.slug]),
        "entry form": reverse("calls:submit", args=[campaign.slug]),
        "tracking lookup": reverse("track:lookup"),
        "tracking detail": reverse("track:detail", args=[entry.tracking_token]),
        "column list": reverse("showcase:list"),
        "column search": reverse("showcase:list") + "?q=%E5%85%9A%E5%BB%BA",  # 党建
        "column search, nothing found": reverse("showcase:list") + "?q=%E6%97%A0%E6%AD%A4%E5%93%81%E7%89%8C",  # 无此品牌
        "article": article.get_absolute_url(),
        "poster page": reverse("showcase:poster", args=[article.slug]),
        "print page": reverse("showcase:print", args=[article.slug]),
        "404": "/no-such-page/",
    }


def audit(lighthouse, url, out, status=200):
    """Lighthouse's report of one page: (score, [audits that did not pass])."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    command = [
        lighthouse,
        url,
        "--quiet",
        "--only-categories=accessibility",
        "--form-factor=mobile",
        f"--chrome-flags={CHROME_FLAGS}",
        "--output=json",
        f"--output-path={out}",
    ]
    if status != 200:  # Lighthouse refuses an error page unless told it is meant
        command.append("--ignore-status-code")
    subprocess.run(command, env=env, check=True, timeout=300)
    report = json.loads(Path(out).read_text())
    if report.get("runtimeError"):
        raise SystemExit(f"{url}: {report['runtimeError']}")
    category = report["categories"]["accessibility"]
    failed = []
    for ref in category["auditRefs"]:
        result = report["audits"][ref["id"]]
        if result["scoreDisplayMode"] in {"binary", "numeric"} and result["score"] is not None and result["score"] < 1:
            items = result.get("details", {}).get("items", [])
            where = [item.get("node", {}).get("selector", "") for item in items][:5]
            failed.append(f"{ref['id']} (weight {ref['weight']}): {result['title']} {where}")
    return category["score"], failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8765", help="the running server")
    parser.add_argument("--lighthouse", default=os.environ.get("LIGHTHOUSE", LIGHTHOUSE), help="the lighthouse command")
    args = parser.parse_args(argv)
    below = []
    with tempfile.TemporaryDirectory() as folder:
        for index, (name, path) in enumerate(public_paths().items()):
            status = 404 if name == "404" else 200
            score, failed = audit(args.lighthouse, args.base + path, Path(folder) / f"{index}.json", status)
            print(f"{name:30} {score:.2f}  {path}")
            for line in failed:
                print(f"    {line}")
            if score < 1:
                below.append(name)
    if below:
        print(f"Below 1.0: {', '.join(below)}")
        return 1
    print("Every public page scores 1.0.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
