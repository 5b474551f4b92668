"""Bench data, made quickly: `python -m bench.data pages --articles 200` or `... admin --entries 100000`.

Runs inside Django against DATABASE_URL (already migrated). Rows are bulk-created where the
status does not matter; every status an entry or an article has was given to it by
workflow.transition(). For 100 000 entries, fifty entries are taken through the workflow and
then copied in SQL (generate_series), status and history as the workflow left them: a clone of
real rows, not a status written by hand. Prints one line of JSON: what a benchmark needs.
"""

import argparse
import json
import math
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()


from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bench.admin_list import FILTERED, PAGE  # noqa: E402
from submissions import demo, workflow  # noqa: E402
from submissions.models import Campaign, Comment, Photo, Region, Section, Showcase, ShowcasePhoto, ShowcaseSection, Submission  # noqa: E402
from submissions.models import Status as S  # noqa: E402
from submissions.newsroom import publishing  # noqa: E402
from submissions.platform import images  # noqa: E402
from submissions.workflow import roles  # noqa: E402

PASSWORD = "bench-Password-2026"
STATUS_MIX = [
    S.SUBMITTED,
    S.FIRST_REVIEW,
    S.FIRST_REVIEW,
    S.SECOND_REVIEW,
    S.SHORTLISTED,
    S.RETURNED,
    S.DECLINED,
    S.ACCEPTED,
    S.DRAFT,
    S.RESUBMITTED,
]


def users():
    User = get_user_model()
    made = {}
    for username, role in (("bench-editor", roles.EDITOR), ("bench-chief", roles.CHIEF)):
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True, "first_name": username})
        if created:
            user.set_password(PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=roles.GROUP_NAMES[role]))
        made[role] = user
    return made[roles.EDITOR], made[roles.CHIEF]


def campaign():
    found, _created = Campaign.objects.get_or_create(
        slug="bench",
        defaults=demo.campaign_defaults("基准测试征集活动", "bench@example.com", opened_days_ago=30, closes_in_days=365),
    )
    return found


def session_cookie(user):
    """A logged-in session for `user`, as the admin's login would make it."""
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return f"sessionid={store.session_key}"


def org(index):
    name, short, parent, brand, slogan, sector = demo.ORGS[index % len(demo.ORGS)]
    return {
        "org_name": f"{name}（{index}）",
        "org_parent": parent,
        "org_type": "branch",
        "sector": sector,
        "brand_name": f"{brand}{index}"[:20],
        "brand_slogan": slogan,
        "brand_idea": demo.IDEA.format(brand=brand, short=short),
        "introduction": demo.INTRO.format(org=name, slogan=slogan, brand=brand),
        "results": demo.RESULTS.format(brand=brand, short=short),
    }


def bench_photos(count=3):
    from submissions.management.commands.seed_demo import draw_photo

    found = list(Photo.objects.filter(caption__startswith="基准图片").order_by("pk"))
    for index in range(len(found), count):
        photo = Photo(caption=f"基准图片{index}", order=index)
        upload = draw_photo(index, f"{index}")
        if not isinstance(upload, SimpleUploadedFile):
            upload = SimpleUploadedFile("photo.jpg", upload, content_type="image/jpeg")
        images.save_photo(photo, upload)
        photo.save()
        found.append(photo)
    return found


def pages(articles):
    editor, chief = users()
    call = campaign()
    have = Showcase.objects.filter(campaign=call, state=Showcase.State.PUBLISHED).count()
    photos = bench_photos()
    if have < articles:
        start = Showcase.objects.filter(campaign=call).count()
        # Each article comes from an accepted entry, taken there through the workflow.
        walked_entries(call, articles - have, offset=start, mix=lambda _index: S.ACCEPTED)
        sources = list(Submission.objects.filter(campaign=call, status=S.ACCEPTED, showcase__isnull=True).order_by("pk"))
        drafts = []
        for index, source in zip(range(start, start + articles - have), sources, strict=False):
            name, short, _parent, brand, slogan, _sector = demo.ORGS[index % len(demo.ORGS)]
            drafts.append(
                Showcase(
                    campaign=call,
                    submission=source,
                    slug=f"bench-{index}",
                    title=f"优秀党建品牌巡展|{short}打造“{brand}”特色党建品牌（{index}）",
                    short_name=short,
                    brand_name=brand,
                    byline="大众日报记者 王晓 刘洋",
                    summary=demo.INTRO.format(org=name, slogan=slogan, brand=brand)[:120],
                    editor_note=demo.EDITOR_NOTE.format(organization=name, short_name=short, brand=f"“{brand}”"),
                    lead=demo.INTRO.format(org=name, slogan=slogan, brand=brand),
                    closing=demo.RESULTS.format(brand=brand, short=short),
                    standing_call=demo.STANDING_CALL,
                    responsible_editor=editor,
                )
            )
        made = Showcase.objects.bulk_create(drafts)
        ShowcaseSection.objects.bulk_create(
            ShowcaseSection(
                showcase=article, order=order, heading=theme, body=demo.SECTION_BODY.format(short=article.short_name, theme=theme)
            )
            for article in made
            for order, theme in enumerate(demo.SECTION_THEMES)
        )
        ShowcasePhoto.objects.bulk_create(
            ShowcasePhoto(showcase=article, photo=photo, order=order, caption=f"{article.short_name}党员开展主题党日活动")
            for article in made
            for order, photo in enumerate(photos)
        )
        Comment.objects.bulk_create(
            Comment(showcase=article, name="读者", body="学习了，很有借鉴意义。", state=Comment.State.APPROVED)
            for article in made
        )
        for article in made:
            with transaction.atomic():
                publishing.edited(article, editor, note="bench")  # its first revision, by its editor
                workflow.transition(article, Showcase.State.AWAITING_SIGNOFF, actor=editor, via="bench")
                workflow.transition(article, Showcase.State.SIGNED_OFF, actor=chief, via="bench")
                workflow.transition(article, Showcase.State.PUBLISHED, actor=chief, via="bench")  # and its entry
    newest = Showcase.objects.filter(state=Showcase.State.PUBLISHED).order_by("-published_at", "-pk").first()
    return {"published": Showcase.objects.filter(state=Showcase.State.PUBLISHED).count(), "slug": newest.slug}


def usual_mix(index):
    return STATUS_MIX[index % len(STATUS_MIX)]


def small_mix(index):
    """Every other entry in FILTERED, the others accepted: a full page of each in 100 entries,
    so that the filtered pages of bench.admin_list and bench.growth show the same number of rows
    at both sizes (the growth run compares the work that grows with the data, not a 10-row page
    with a 50-row one)."""
    return S(FILTERED) if index % 2 == 0 else S.ACCEPTED


def usual_region(index, region_ids):
    return region_ids[index % len(region_ids)]


def small_region(index, region_ids):
    """Half the entries in the first city (a full page for the city filter), the rest spread."""
    return region_ids[0] if index % 4 < 2 else usual_region(index, region_ids)


def walked_entries(call, count, offset=0, mix=usual_mix, region=usual_region):
    editor, _chief = users()
    region_ids = list(Region.objects.order_by("order", "pk").values_list("pk", flat=True))
    for index in range(offset, offset + count):
        entry = Submission.objects.create(
            campaign=call,
            region_id=region(index, region_ids),
            contact_name="张三",
            contact_phone="13800138000",
            contact_email=f"c{index}@example.com",
            consent=True,
            **org(index),
        )
        Section.objects.bulk_create(
            Section(submission=entry, order=order + 1, heading=theme, body="一是……二是……三是……")
            for order, theme in enumerate(demo.SECTION_THEMES[:2])
        )
        list(workflow.walk(entry, mix(index), editor=editor, via="bench"))


CLONE = {
    "reference": "CASE WHEN t.reference IS NULL THEN NULL ELSE 'B' || t.id || '-' || g END",
    "tracking_token": "md5(t.id::text || '-' || g::text || random()::text)",
    "org_name": "left(t.org_name, 80) || '-' || g",
    "brand_name": "left(t.brand_name, 12) || '-' || g",
    "dedupe_key": "t.dedupe_key || '#' || t.id || '-' || g",
    "contact_email": "'c' || t.id || '-' || g || '@example.com'",
    "submitted_at": "t.submitted_at - make_interval(mins => g)",
    "created_at": "t.created_at - make_interval(mins => g)",
}


def clone_entries(templates, copies):
    """Copy each template entry `copies` times in one INSERT … SELECT (PostgreSQL)."""
    columns = [f.column for f in Submission._meta.concrete_fields if f.column != "id"]
    select = ", ".join(CLONE.get(column, f"t.{column}") for column in columns)
    ids = ",".join(str(pk) for pk in templates)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Submission._meta.db_table} ({', '.join(columns)}) "
            f"SELECT {select} FROM {Submission._meta.db_table} t CROSS JOIN generate_series(1, %s) g WHERE t.id IN ({ids})",
            [copies],
        )
        # As autovacuum would soon after a bulk load: statistics, the visibility map, and the trigram
        # indexes' pending lists merged (a fresh GIN pending list of 100 000 rows made a one-row
        # search read it all: 38 ms instead of 0.2 ms).
        cursor.execute(f"VACUUM ANALYZE {Submission._meta.db_table}")


def entry_photos(entries):
    """One photo for each entry that has none, through the photo pipeline (its three renditions)."""
    for index, entry in enumerate(entries):
        if not entry.photos.exists():
            photo = Photo(submission=entry, caption=f"基准来稿图片{index}", order=0)
            images.save_photo(photo, SimpleUploadedFile("photo.jpg", _drawn(index), content_type="image/jpeg"))
            photo.save()


def _drawn(index):
    from submissions.management.commands.seed_demo import draw_photo

    upload = draw_photo(index, f"{index}")
    return upload.read() if hasattr(upload, "read") else upload


def clone_photos():
    """Each cloned entry gets a copy of its template's photo: a row of its own, whose thumbnail is
    a hard link to the template's file under a name of its own (the media view finds a photo
    by its name, so the table grows with the entries as it would)."""
    from django.core.files.storage import default_storage

    table, entries = Photo._meta.db_table, Submission._meta.db_table
    template = "split_part(split_part(s.dedupe_key, '#', -1), '-', 1)"  # CLONE's dedupe_key: t.dedupe_key#t.id-g
    renamed = "regexp_replace(p.{0}, '[.]jpg$', '-c' || s.id || '.jpg')"
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} (submission_id, upload_key, "order", caption, image, display, thumbnail, width, height, sha256, created_at) '
            f"SELECT s.id, '', p.\"order\", p.caption, {renamed.format('image')}, {renamed.format('display')}, "
            f"{renamed.format('thumbnail')}, p.width, p.height, p.sha256, p.created_at "
            f"FROM {entries} s JOIN {table} p ON p.submission_id = ({template})::int "
            f"WHERE s.dedupe_key LIKE '%%#%%' AND NOT EXISTS (SELECT 1 FROM {table} q WHERE q.submission_id = s.id)"
        )
        cursor.execute(
            f"SELECT p.thumbnail, o.thumbnail FROM {table} p JOIN {entries} s ON s.id = p.submission_id "
            f"JOIN {table} o ON o.submission_id = ({template})::int WHERE s.dedupe_key LIKE '%%#%%'"
        )
        links = cursor.fetchall()
        cursor.execute(f"VACUUM ANALYZE {table}")
    for name, source in links:
        target = default_storage.path(name)
        if not os.path.exists(target):
            os.link(default_storage.path(source), target)
    return len(links)


def admin(entries):
    editor, _chief = users()
    call = campaign()
    have = Submission.objects.count()
    if have < entries:
        templates = min(entries, 100 if entries <= 100 else 50)
        if have < templates:
            small = entries <= 100
            walked_entries(
                call,
                templates - have,
                offset=have,
                mix=small_mix if small else usual_mix,
                region=small_region if small else usual_region,
            )
        entry_photos(Submission.objects.order_by("pk")[:templates])
        if entries > templates:
            clone_entries(
                list(Submission.objects.order_by("pk").values_list("pk", flat=True)[:templates]),
                math.ceil((entries - templates) / templates),
            )
            clone_photos()
            from submissions.platform.search import entries as entry_search

            entry_search.reindex_all()  # the clones were written in SQL: index them for the admin's search
            with connection.cursor() as cursor:  # and merge the GIN pending lists, as autovacuum would
                cursor.execute("VACUUM ANALYZE submissions_searchdocument")
    city = Region.objects.order_by("order", "pk").first()
    full = (Submission.objects.filter(status=status).count() >= PAGE for status in (FILTERED, S.ACCEPTED))
    if entries <= 100 and not (all(full) and Submission.objects.filter(region=city).count() >= PAGE):
        raise SystemExit(f"The {entries}-entry bench database was made by an older bench: run bench.admin_list --fresh.")
    rare = Submission.objects.exclude(reference=None).order_by("-pk").values_list("reference", flat=True).first()
    kind = Submission.objects.values_list("kind", flat=True).first()
    return {
        "entries": Submission.objects.count(),
        "cookie": session_cookie(editor),
        "rare": rare,
        "region": city.pk,
        "kind": kind,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["pages", "admin"])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--entries", type=int, default=100)
    args = parser.parse_args(argv)
    result = pages(args.articles) if args.what == "pages" else admin(args.entries)
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
