"""The article's admin page: photo thumbnails, each photo's section, one history link."""

import pytest
from django.urls import reverse

from tests.factories import ShowcaseFactory, add_photo
from tests.newsroom.test_publish_admin import change_data


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_article_page_photos_have_thumbnails_and_sections_and_one_history_link(client, editor, django_assert_max_num_queries):
    article = ShowcaseFactory()
    first = article.sections.create(order=1, heading="思想与理念零距离", body="一是……")
    article.sections.create(order=2, heading="服务与群众零距离", body="二是……")
    for index in range(3):
        article.photos.create(photo=add_photo(article.submission), caption=f"图{index}", order=index, section=first)
    photo = article.photos.order_by("order").first().photo
    client.force_login(editor)
    url = reverse("admin:submissions_showcase_change", args=[article.pk])
    client.get(url)
    with django_assert_max_num_queries(40):
        html = client.get(url).content.decode()
    assert f'class="article-photo-thumb" src="{photo.thumbnail.url}"' in html
    select = html.split('name="photos-0-section"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{first.pk}" selected>思想与理念零距离</option>' in select and "服务与群众零距离" in select
    assert reverse("admin:submissions_showcase_revisions", args=[article.pk]) in html
    assert reverse("admin:submissions_showcase_history", args=[article.pk]) not in html  # one history link


@pytest.mark.django_db
def test_editor_moves_a_photo_to_another_section(client, editor):
    article = ShowcaseFactory()
    first = article.sections.create(order=1, heading="甲", body="一")
    second = article.sections.create(order=2, heading="乙", body="二")
    item = article.photos.create(photo=add_photo(article.submission), caption="图", section=first)
    client.force_login(editor)
    url = reverse("admin:submissions_showcase_change", args=[article.pk])
    data = change_data(article, **{"photos-0-section": second.pk})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.section == second
    other = ShowcaseFactory().sections.create(order=1, heading="别的文章", body="x")
    page = client.post(url, change_data(article, **{"photos-0-section": other.pk})).content.decode()
    assert "errorlist" in page  # only this article's sections
    item.refresh_from_db()
    assert item.section == second
