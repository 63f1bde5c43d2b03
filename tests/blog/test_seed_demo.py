import html as html_lib

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertContains

from blog.demo import SEED_FILE, parse_article
from blog.models import Category, Page, Post, Tag
from comments.models import Comment
from tests.demo import ARTICLE, HEADINGS

pytestmark = pytest.mark.django_db


def seed_paragraphs():
    """Every paragraph of the article in the seed text (not headings, not what follows it)."""
    text = SEED_FILE.read_text(encoding="utf-8")
    article = text.split("Thank you for sharing!")[0].splitlines()[1:]
    blocks = [" ".join(b.split()) for b in "\n".join(article).split("\n\n") if b.strip()]
    return [b for b in blocks if b not in HEADINGS]


def test_seed_demo_publishes_the_article_with_every_heading_and_paragraph(client):
    call_command("seed_demo")
    response = client.get(ARTICLE)
    assert response.status_code == 200
    assertContains(response, '<h1 class="entry-title">Do’s And Don’ts When Your Partner Withdraws</h1>')
    for heading in HEADINGS:
        assertContains(response, f"<h2>{heading}</h2>")
    page_text = " ".join(html_lib.unescape(response.content.decode()).split())
    paragraphs = seed_paragraphs()
    assert len(paragraphs) == 18  # 3 intro, 14 under the headings, 1 closing
    for paragraph in paragraphs:
        assert f"<p>{paragraph}</p>" in page_text, paragraph
    assertContains(response, 'href="/category/relationships/"')


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")

    def snapshot():
        return [list(model.objects.values()) for model in (Post, Category, Tag, Page, Comment)]

    before = snapshot()
    call_command("seed_demo")
    assert snapshot() == before
    assert Post.objects.count() == 1


def test_seeded_article_is_on_the_front_page(client):
    call_command("seed_demo")
    assertContains(client.get("/"), f'href="{ARTICLE}"')


def test_parse_article_makes_ten_headings():
    title, body = parse_article(SEED_FILE.read_text(encoding="utf-8"))
    assert title == "Do’s And Don’ts When Your Partner Withdraws"
    assert body.count("<h2>") == 10
    assert "Thank you for sharing" not in body
