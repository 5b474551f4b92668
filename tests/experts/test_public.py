"""Where accepted commentaries show: the article (credited, linked to the expert's page, beside the old
free-text commentary), its Word export, the tracking page (the brand diagnosis), the expert's public page
and the panel's index (accepted commentaries on live articles only), each page's query count."""

import io

import pytest
from django.template import Context, Template
from django.urls import reverse

from submissions.experts import selectors, services
from submissions.models import Status
from submissions.newsroom import article_docx, publishing
from submissions.workflow import roles
from tests.experts.helpers import DIAGNOSIS, TEXT, accepted, expert, requested, written
from tests.factories import make_user, published_showcase

pytestmark = pytest.mark.django_db
DIAGNOSES = Template("{% load expert_tags %}{% expert_diagnoses submission %}")  # the line the tracking page includes


def own(captured):
    return [q["sql"] for q in captured.captured_queries if "portal_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]


def live_commentary(**kwargs):
    article = published_showcase()
    return article, accepted(entry=article.submission, **kwargs)


def test_the_article_shows_the_accepted_commentary_credited_and_linked(client):
    article, _commentary = live_commentary()
    article.expert_commentary = "旧的自由文本点评。"
    article.expert_name = "某专家"
    article.save(update_fields=["expert_commentary", "expert_name"])
    html = client.get(article.get_absolute_url()).content.decode()
    assert TEXT in html
    assert f'——<a href="{reverse("experts:detail", args=["chen-ming"])}">陈明，教授，中共山东省委党校</a>' in html
    assert "旧的自由文本点评。" in html and "——某专家" in html  # the old field still works
    assert DIAGNOSIS not in html  # the diagnosis is the organization's only


def test_a_commentary_not_accepted_is_not_in_the_article(client):
    article = published_showcase()
    written(entry=article.submission)
    assert TEXT not in client.get(article.get_absolute_url()).content.decode()


def test_accepting_makes_the_cached_article_stale(client):
    article = published_showcase()
    request = written(entry=article.submission)
    assert TEXT not in client.get(article.get_absolute_url()).content.decode()  # cached without it
    services.accept(request, request.requested_by)
    assert TEXT in client.get(article.get_absolute_url()).content.decode()
    services.withdraw(request, request.requested_by, "专家要求撤下")
    assert TEXT not in client.get(article.get_absolute_url()).content.decode()


def test_the_article_page_costs_one_query_more_with_any_number_of_commentaries(client, django_assert_max_num_queries):
    from django.core.cache import cache

    article, _commentary = live_commentary()
    cache.clear()
    with django_assert_max_num_queries(40) as one:
        client.get(article.get_absolute_url())
    accepted(entry=article.submission, who=expert("li-er", "李二"))
    cache.clear()
    with django_assert_max_num_queries(40) as two:
        html = client.get(article.get_absolute_url()).content.decode()
    assert "李二" in html
    assert len(own(one)) == len(own(two))


def test_the_word_export_carries_the_credited_commentary():
    from docx import Document

    article, _commentary = live_commentary()
    document = Document(io.BytesIO(article_docx.render(article)))
    lines = [paragraph.text for paragraph in document.paragraphs]
    assert "专家点评" in lines and TEXT in lines and "——陈明，教授，中共山东省委党校" in lines


def test_the_search_text_includes_the_commentary():
    from submissions.newsroom import text

    article, _commentary = live_commentary()
    assert TEXT in text.search_text(article)


def test_the_tracking_page_shows_the_accepted_diagnosis(client, django_assert_max_num_queries):
    article, _commentary = live_commentary()
    entry = article.submission
    with django_assert_max_num_queries(1):
        html = DIAGNOSES.render(Context({"submission": entry}))
    assert DIAGNOSIS in html and "陈明，教授，中共山东省委党校" in html
    page = client.get(reverse("track:detail", args=[entry.tracking_token])).content.decode()
    assert "品牌诊断" in page and DIAGNOSIS in page and TEXT not in page


def test_a_diagnosis_not_yet_accepted_is_not_shown_and_costs_nothing_before_shortlisting(django_assert_num_queries):
    request = written()
    assert DIAGNOSIS not in DIAGNOSES.render(Context({"submission": request.submission}))
    from tests.factories import submission_in

    early = submission_in(Status.FIRST_REVIEW)
    with django_assert_num_queries(0):
        assert DIAGNOSES.render(Context({"submission": early})).strip() == ""


def test_the_experts_page_lists_only_accepted_commentaries_on_live_articles(client, django_assert_max_num_queries):
    article, shown = live_commentary()
    who = shown.expert
    written(entry=published_showcase().submission, who=who)  # written, not accepted
    not_live = accepted(who=who, status=Status.ACCEPTED)  # accepted, but no article yet
    with django_assert_max_num_queries(40) as captured:
        response = client.get(reverse("experts:detail", args=[who.slug]))
    assert len(own(captured)) <= 3, own(captured)
    html = response.content.decode()
    assert response.status_code == 200 and "陈明" in html and "中共山东省委党校" in html
    assert html.count("data-commentary=") == 1
    assert f'data-commentary="{shown.pk}"' in html and article.get_absolute_url() in html
    assert f'data-commentary="{not_live.pk}"' not in html


def test_the_experts_page_query_count_does_not_grow_with_commentaries(client, django_assert_max_num_queries):
    from django.core.cache import cache

    _article, first = live_commentary()
    cache.clear()
    with django_assert_max_num_queries(40) as one:
        client.get(reverse("experts:detail", args=[first.expert.slug]))
    for _ in range(3):
        accepted(entry=published_showcase().submission, who=first.expert)
    cache.clear()
    with django_assert_max_num_queries(40) as four:
        html = client.get(reverse("experts:detail", args=[first.expert.slug])).content.decode()
    assert html.count("data-commentary=") == 4
    assert len(own(one)) == len(own(four))


def test_a_taken_down_article_leaves_the_experts_page(client):
    article, commentary = live_commentary()
    assert "data-commentary=" in client.get(reverse("experts:detail", args=[commentary.expert.slug])).content.decode()
    chief = make_user(roles.CHIEF, username="chief-down")
    publishing.unpublish(article, chief, "核实中")
    html = client.get(reverse("experts:detail", args=[commentary.expert.slug])).content.decode()
    assert "data-commentary=" not in html


def test_an_unknown_or_inactive_expert_is_404(client):
    who = expert("gone", "离库专家", active=False)
    assert client.get(reverse("experts:detail", args=[who.slug])).status_code == 404
    assert client.get(reverse("experts:detail", args=["nobody"])).status_code == 404


def test_the_index_lists_experts_with_a_published_commentary(client, django_assert_max_num_queries):
    live_commentary()
    requested(who=expert("li-er", "李二"))
    with django_assert_max_num_queries(40) as captured:
        html = client.get(reverse("experts:index")).content.decode()
    assert len(own(captured)) <= 2, own(captured)
    assert "陈明" in html and "李二" not in html


def test_for_entries_gives_accepted_commentaries_oldest_first():
    article, first = live_commentary()
    second = accepted(entry=article.submission, who=expert("li-er", "李二"))
    written(entry=article.submission, who=expert("wang-san", "王三"))
    found = selectors.for_entries([article.submission_id])
    assert [item.pk for item in found] == [first.pk, second.pk]
    assert found[0].expert.name == "陈明"  # loaded with it
    assert selectors.for_entries([]) == []
