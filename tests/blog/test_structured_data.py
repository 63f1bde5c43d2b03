"""Link previews and structured data agree with the visible page."""

import html as html_lib
import json
import re

import pytest

from comments.models import Comment
from tests.demo import ARTICLE

pytestmark = pytest.mark.django_db


def meta(html, key):
    values = re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return [html_lib.unescape(v) for v in values]


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_open_graph_twitter_and_json_ld_agree_with_the_page(client, demo):
    html = client.get(ARTICLE).content.decode()
    visible_title = html_lib.unescape(re.search(r'<h1 class="entry-title">(.*?)</h1>', html).group(1))
    visible_date = re.search(r'<time class="entry-date published" datetime="([^"]+)"', html).group(1)
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    description = html_lib.unescape(re.search(r'<meta name="description" content="([^"]*)">', html).group(1))
    data = json_ld(html)

    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:title") == [visible_title] == [data["headline"]]
    assert meta(html, "og:url") == [canonical] == [data["url"]] == [data["mainEntityOfPage"]["@id"]]
    assert meta(html, "og:description") == [description] == [data["description"]]
    assert meta(html, "article:published_time") == [visible_date] == [data["datePublished"]]
    assert meta(html, "article:modified_time") == [data["dateModified"]]
    assert meta(html, "og:site_name") == ["Steady Ground"] == [data["publisher"]["name"]]
    assert meta(html, "article:section") == ["Relationships"] == data["articleSection"]
    assert meta(html, "article:tag") == ["Boundaries", "Communication", "Self-care"] == sorted(data["keywords"])
    assert meta(html, "article:author") == [data["author"]["url"]]
    assert data["author"] == {
        "@type": "Person",
        "name": "Blog Author",
        "url": "http://127.0.0.1:8000/author/blogauthor/",
    }

    image = meta(html, "og:image")[0]
    assert image == data["image"]["url"] == meta(html, "twitter:image")[0]
    assert image.startswith("http://127.0.0.1:8000/static/img/og-default")
    assert meta(html, "og:image:width") == ["1200"] and meta(html, "og:image:height") == ["630"]
    assert meta(html, "twitter:card") == ["summary"]  # no featured image

    assert data["@type"] == "BlogPosting"
    assert data["commentCount"] == 4 == len(data["comment"])
    assert "4 thoughts on" in html
    visible_comments = re.findall(r'<li id="comment-(\d+)"', html)
    assert [c["url"].rsplit("#comment-", 1)[1] for c in data["comment"]] == visible_comments
    assert data["comment"][0]["author"]["name"] == "Jenna"
    assert data["comment"][1]["parentItem"]["@id"].endswith(f"#comment-{visible_comments[0]}")


def test_held_comments_never_reach_the_structured_data(client, demo):
    post = Comment.objects.first().post
    Comment.objects.create(
        post=post, author_name="Secret", author_email="s@example.com", body="<p>secret words</p>", status="pending"
    )
    html = client.get(ARTICLE).content.decode()
    assert "secret words" not in html
    assert json_ld(html)["commentCount"] == 4


def test_json_ld_cannot_break_out_of_its_script_block(client, demo):
    post = Comment.objects.first().post
    post.title = "</script><script>alert(1)</script>"
    post.save()
    html = client.get(ARTICLE).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    assert json.loads(block)["headline"] == "</script><script>alert(1)</script>"


def test_a_featured_image_becomes_the_large_preview_and_a_missing_file_breaks_nothing(client, settings):
    import os

    from PIL import Image

    from tests.factories import ImageFactory, PostFactory

    image = ImageFactory(size=(1600, 1200), alt="A warm card")
    post = PostFactory(featured_image=image)
    assert (image.width, image.height) == (1600, 1200)

    html = client.get(post.get_absolute_url()).content.decode()
    assert meta(html, "twitter:card") == ["summary_large_image"]
    # The preview is a 1200×630 rendition made at upload.
    assert image.social_card.endswith("-social.jpg")
    assert meta(html, "og:image")[0] == f"http://127.0.0.1:8000/media/{image.social_card}"
    with Image.open(os.path.join(settings.MEDIA_ROOT, image.social_card)) as card:
        assert card.size == (1200, 630)
    assert meta(html, "og:image:width") == ["1200"] and meta(html, "og:image:height") == ["630"]
    assert meta(html, "og:image:alt") == ["A warm card"]
    assert json_ld(html)["image"]["width"] == 1200
    assert 'width="1600" height="1200" alt="A warm card"' in html

    for name in image.stored_names():
        os.remove(os.path.join(settings.MEDIA_ROOT, name))
    assert client.get(post.get_absolute_url()).status_code == 200
    assert client.get("/feed/").status_code == 200
