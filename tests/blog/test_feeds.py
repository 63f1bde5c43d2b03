"""RSS 2.0 and Atom feeds: valid, complete, absolute on SITE_URL, leak-free and in a fixed number of queries."""

import datetime
import email.utils
import html
import re

import feedparser
import pytest
from django.utils import timezone
from lxml import etree
from pytest_django.asserts import assertContains

from blog.models import Image, Post
from comments.models import Comment
from tests.demo import ARTICLE
from tests.factories import CategoryFactory, CommentFactory, ImageFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
SITE = "http://127.0.0.1:8000"


def hidden_comments(post):
    """Comments the public must never see: held, spam and trash."""
    return [
        CommentFactory(post=post, author_name=f"Hidden {status}", body=f"<p>Secret {status} words.</p>", status=status)
        for status in (Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH)
    ]


def feed_url(post):
    return f"{post.get_absolute_url()}feed/"


def parsed(response, version):
    """The feed as feedparser reads it: well-formed (bozo 0) and of the expected version."""
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == version
    return feed


def check_rss(response):
    """RSS 2.0's required elements, RFC 822 dates and absolute links; returns the <item> elements."""
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for name in ("title", "link", "description"):
        assert (channel.findtext(name) or "").strip(), f"channel <{name}> is missing"
    assert channel.findtext("link").startswith(SITE)
    assert RFC822.match(channel.findtext("lastBuildDate"))
    items = channel.findall("item")
    for item in items:
        for name in ("title", "link", "guid", "pubDate"):
            assert (item.findtext(name) or "").strip(), f"item <{name}> is missing"
        assert item.findtext("link").startswith(SITE)
        assert RFC822.match(item.findtext("pubDate")), item.findtext("pubDate")
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
        assert item.find("author") is None  # RSS <author> is an email address: never given
    return items


def check_atom(response):
    """Atom's required elements (RFC 4287), RFC 3339 dates; returns the <entry> elements."""
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), f"feed <{name}> is missing"
    assert RFC3339.match(root.findtext(f"{ATOM}updated"))
    assert root.find(f"{ATOM}link[@rel='self']").get("href").startswith(SITE)
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), f"entry <{name}> is missing"
        assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
        assert RFC3339.match(entry.findtext(f"{ATOM}published"))
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith(SITE)
        assert entry.findtext(f"{ATOM}author/{ATOM}name")
        assert entry.find(f"{ATOM}author/{ATOM}email") is None
    return entries


# Posts feeds


def test_posts_rss_feed_is_valid_rss_2(client):
    PostFactory.create_batch(3)
    feed = parsed(client.get("/feed/"), "rss20")
    assert feed.feed.title == "Steady Ground"
    assert feed.feed.subtitle == "Notes on love, distance and finding your way back"
    assert feed.feed.link == f"{SITE}/"
    assert len(check_rss(client.get("/feed/"))) == 3


def test_posts_atom_feed_is_valid_atom_1(client):
    PostFactory.create_batch(3)
    feed = parsed(client.get("/feed/atom/"), "atom10")
    assert feed.feed.title == "Steady Ground"
    assert feed.feed.subtitle == "Notes on love, distance and finding your way back"
    assert feed.feed.id == f"{SITE}/feed/atom/"
    assert all(entry.get("updated_parsed") for entry in feed.entries)
    assert len(check_atom(client.get("/feed/atom/"))) == 3


def test_empty_feeds_are_still_valid(client):
    parsed(client.get("/feed/"), "rss20")
    parsed(client.get("/feed/atom/"), "atom10")
    parsed(client.get("/comments/feed/"), "rss20")
    check_rss(client.get("/feed/"))
    check_atom(client.get("/feed/atom/"))


def test_a_feed_item_carries_the_whole_post(client):
    author = UserFactory(first_name="Wren", last_name="Writer")
    category, tag = CategoryFactory(name="Relationships"), TagFactory(name="Boundaries")
    post = PostFactory(
        title="Staying close",
        author=author,
        excerpt="A short summary.",
        body='<p>Hello <a href="/about/">about</a> <img src="/media/x.png" alt="x"><script>bad()</script></p>',
        categories=[category],
        tags=[tag],
    )
    permalink = f"{SITE}{post.get_absolute_url()}"

    rss = parsed(client.get("/feed/"), "rss20").entries[0]
    assert rss.title == "Staying close"
    assert rss.link == permalink
    assert rss.id == permalink
    assert check_rss(client.get("/feed/"))[0].find("guid").get("isPermaLink") == "true"
    assert rss.summary == "A short summary."
    assert rss.author == "Wren Writer"
    assert [t.term for t in rss.tags] == ["Relationships", "Boundaries"]
    assert rss.published_parsed[:6] == post.published_at.utctimetuple()[:6]
    assert rss.comments == f"{permalink}#comments"
    assert rss.wfw_commentrss == f"{permalink}feed/"
    content = rss.content[0].value
    assert "Hello" in content and "bad()" not in content
    # Links and images inside the article point at the site, not at the feed reader.
    assert f'href="{SITE}/about/"' in content and f'src="{SITE}/media/x.png"' in content

    atom = parsed(client.get("/feed/atom/"), "atom10").entries[0]
    assert atom.title == "Staying close"
    assert atom.id == permalink and atom.link == permalink
    assert atom.summary == "A short summary."
    assert atom.content[0].value == content
    assert atom.author == "Wren Writer"
    assert [t.term for t in atom.tags] == ["Relationships", "Boundaries"]
    assert atom.updated_parsed[:6] == max(post.updated_at, post.published_at).utctimetuple()[:6]


def test_full_content_is_in_content_encoded(client):
    PostFactory(body="<p>Every word of the article.</p><h2>A heading</h2>")
    item = check_rss(client.get("/feed/"))[0]
    assert item.findtext(f"{CONTENT}encoded") == "<p>Every word of the article.</p><h2>A heading</h2>"
    assert item.findtext(f"{DC}creator")


def test_titles_with_markup_characters_reach_readers_as_typed(client):
    PostFactory(title="Tom & Jerry <3 “quotes”", excerpt="Less < more & <b>bold</b>")
    rss = parsed(client.get("/feed/"), "rss20").entries[0]
    atom = parsed(client.get("/feed/atom/"), "atom10").entries[0]
    # RSS readers take a title as HTML: it is escaped once more, and reads as typed.
    assert rss.title_detail.type == "text/html" and "<" not in rss.title
    assert html.unescape(rss.title) == atom.title == "Tom & Jerry <3 “quotes”"
    # The plain-text excerpt is escaped once as HTML, so no reader renders the <b>.
    assert "<b>" not in rss.summary and "&lt;b&gt;" in rss.summary


def test_featured_image_is_an_enclosure(client):
    post = PostFactory(title="With a picture", featured_image=ImageFactory())
    PostFactory(title="Without a picture")
    url = f"{SITE}{post.featured_image.url}"
    length = str(post.featured_image.file.size)

    items = {item.findtext("title"): item for item in check_rss(client.get("/feed/"))}
    enclosure = items["With a picture"].find("enclosure")
    assert enclosure.attrib == {"url": url, "length": length, "type": "image/png"}
    assert items["Without a picture"].find("enclosure") is None

    entries = {entry.findtext(f"{ATOM}title"): entry for entry in check_atom(client.get("/feed/atom/"))}
    link = entries["With a picture"].find(f"{ATOM}link[@rel='enclosure']")
    assert (link.get("href"), link.get("length"), link.get("type")) == (url, length, "image/png")
    assert entries["Without a picture"].find(f"{ATOM}link[@rel='enclosure']") is None


def test_missing_image_file_gives_no_enclosure_rather_than_an_error(client):
    # An image row from before the library knew its size, whose file has gone.
    PostFactory(featured_image=Image.objects.create(file="featured/gone.png", alt="Gone"))
    item = check_rss(client.get("/feed/"))[0]
    assert item.find("enclosure") is None


def test_feeds_hold_the_ten_latest_posts_newest_first_sticky_or_not(client):
    now = timezone.now()
    for i in range(12):
        PostFactory(title=f"Entry {i:02d}", published_at=now - datetime.timedelta(hours=i + 1))
    PostFactory(title="Old but sticky", sticky=True, published_at=now - datetime.timedelta(days=30))
    for url, version in (("/feed/", "rss20"), ("/feed/atom/", "atom10")):
        titles = [entry.title for entry in parsed(client.get(url), version).entries]
        assert titles == [f"Entry {i:02d}" for i in range(10)]


def test_links_use_site_url_whatever_the_request_host(client, settings):
    settings.SITE_URL = "https://blog.example.org"
    post = PostFactory()
    CommentFactory(post=post)
    for url in ("/feed/", "/feed/atom/", "/comments/feed/", feed_url(post)):
        body = client.get(url, HTTP_HOST="127.0.0.1").content.decode()
        links = re.findall(r'(?:href|url)="([^"]+)"|<(?:link|guid|id|comments|wfw:commentRss)>([^<]+)<', body)
        links = [a or b for a, b in links]
        assert links, url
        assert all(link.startswith("https://blog.example.org/") for link in links), (url, links)
        assert "127.0.0.1" not in body and "testserver" not in body


# Category and tag feeds


def test_category_feed_has_the_posts_of_the_category_and_its_children(client):
    parent = CategoryFactory(name="Love", slug="love")
    child = CategoryFactory(name="Distance", slug="distance", parent=parent)
    PostFactory(title="In the parent", categories=[parent])
    PostFactory(title="In the child", categories=[child])
    PostFactory(title="In both", categories=[parent, child])
    PostFactory(title="Elsewhere")
    feed = parsed(client.get("/category/love/feed/"), "rss20")
    assert sorted(entry.title for entry in feed.entries) == ["In both", "In the child", "In the parent"]
    assert feed.feed.title == "Category: Love – Steady Ground"
    assert feed.feed.link == f"{SITE}/category/love/"
    check_rss(client.get("/category/love/feed/"))
    child_feed = parsed(client.get("/category/distance/feed/"), "rss20")
    assert sorted(entry.title for entry in child_feed.entries) == ["In both", "In the child"]


def test_tag_feed_has_the_posts_with_the_tag(client):
    tag = TagFactory(name="Boundaries", slug="boundaries")
    PostFactory(title="Tagged", tags=[tag])
    PostFactory(title="Untagged")
    feed = parsed(client.get("/tag/boundaries/feed/"), "rss20")
    assert [entry.title for entry in feed.entries] == ["Tagged"]
    assert feed.feed.title == "Tag: Boundaries – Steady Ground"
    check_rss(client.get("/tag/boundaries/feed/"))


@pytest.mark.parametrize("url", ["/category/nope/feed/", "/tag/nope/feed/"])
def test_unknown_category_or_tag_feed_is_a_404(client, url):
    assert client.get(url).status_code == 404


# Comment feeds


def test_site_comments_feed_lists_approved_comments_newest_first(client):
    post = PostFactory(title="Staying close")
    now = timezone.now()
    CommentFactory(post=post, author_name="Ana", created_at=now - datetime.timedelta(hours=2))
    CommentFactory(post=post, author_name="Ben", created_at=now - datetime.timedelta(hours=1))
    feed = parsed(client.get("/comments/feed/"), "rss20")
    assert feed.feed.title == "Comments for Steady Ground"
    assert [entry.title for entry in feed.entries] == [
        "Comment on Staying close by Ben",
        "Comment on Staying close by Ana",
    ]
    first = feed.entries[0]
    assert first.author == "Ben"
    assert first.link.startswith(f"{SITE}{post.get_absolute_url()}#comment-")
    assert "Thoughtful comment" in first.summary
    check_rss(client.get("/comments/feed/"))


def test_site_comments_feed_keeps_the_twenty_latest(client):
    post = PostFactory()
    now = timezone.now()
    for i in range(23):
        CommentFactory(post=post, author_name=f"Reader {i:02d}", created_at=now - datetime.timedelta(minutes=i + 1))
    titles = [entry.title for entry in parsed(client.get("/comments/feed/"), "rss20").entries]
    assert len(titles) == 20 and titles[0].endswith("Reader 00") and titles[-1].endswith("Reader 19")


def test_post_comments_feed_lists_that_posts_approved_comments(client):
    post = PostFactory(title="Staying close")
    CommentFactory(post=post, author_name="Ana")
    CommentFactory(author_name="On another post")
    feed = parsed(client.get(feed_url(post)), "rss20")
    assert feed.feed.title == "Comments on: Staying close"
    assert feed.feed.link == f"{SITE}{post.get_absolute_url()}"
    assert [entry.title for entry in feed.entries] == ["By: Ana"]
    check_rss(client.get(feed_url(post)))


def test_commenters_emails_never_appear_in_comment_feeds(client):
    post = PostFactory()
    comments = [CommentFactory(post=post, author_email=f"private{i}@mail.example") for i in range(3)]
    CommentFactory(post=post, parent=comments[0], author_email="replier@mail.example")
    for url in ("/comments/feed/", feed_url(post)):
        body = client.get(url).content.decode()
        assert "mail.example" not in body
        assert "<author>" not in body and "<email>" not in body


def test_hostile_comment_author_name_is_text_in_the_feed(client):
    post = PostFactory(title="Safe")
    CommentFactory(post=post, author_name="<script>alert(1)</script>")
    feed = parsed(client.get("/comments/feed/"), "rss20")
    assert html.unescape(feed.entries[0].title) == "Comment on Safe by <script>alert(1)</script>"
    assert "<script>" not in client.get("/comments/feed/").content.decode()


def test_demo_article_comment_feed(client, demo):
    feed = parsed(client.get(f"{ARTICLE}feed/"), "rss20")
    assert len(feed.entries) == 4
    assert all(entry.title.startswith("By: ") for entry in feed.entries)
    check_rss(client.get(f"{ARTICLE}feed/"))


@pytest.mark.parametrize("status", [Post.Status.DRAFT, Post.Status.PENDING, Post.Status.PRIVATE])
def test_unpublished_posts_comment_feed_is_a_404(client, status):
    post = PostFactory(status=status)
    CommentFactory(post=post)
    date = timezone.localtime(post.published_at)
    assert client.get(f"/{date:%Y/%m/%d}/{post.slug}/feed/").status_code == 404


def test_future_posts_comment_feed_is_a_404(client):
    post = PostFactory(published_at=timezone.now() + datetime.timedelta(days=2))
    assert client.get(feed_url(post)).status_code == 404


def test_post_comment_feed_at_a_wrong_date_is_a_404(client):
    post = PostFactory()
    assert client.get(f"/2001/01/01/{post.slug}/feed/").status_code == 404


# Leaks


ALL_FEEDS = ["/feed/", "/feed/atom/", "/comments/feed/", "/category/shared/feed/", "/tag/shared/feed/"]


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_no_feed_shows_hidden_posts_or_comments(client, url, hidden_posts):
    category, tag = CategoryFactory(slug="shared"), TagFactory(slug="shared")
    public = PostFactory(title="Public post", categories=[category], tags=[tag])
    CommentFactory(post=public, author_name="Visible reader")
    hidden_comments(public)
    for post in hidden_posts:
        post.categories.set([category])
        post.tags.set([tag])
        CommentFactory(post=post, author_name="Reader of a secret", body="<p>Secret comment.</p>")
    body = client.get(url).content.decode()
    assert "Public post" in body
    assert "Secret" not in body and "Hidden" not in body


def test_post_comment_feed_hides_held_spam_and_trashed_comments(client):
    post = PostFactory()
    CommentFactory(post=post, author_name="Visible reader")
    hidden_comments(post)
    feed = parsed(client.get(feed_url(post)), "rss20")
    assert [entry.title for entry in feed.entries] == ["By: Visible reader"]
    assert "Secret" not in client.get(feed_url(post)).content.decode()


# Robustness and query counts


@pytest.mark.parametrize("query", ["page=x", "p=-1", "format=atom&page=999999", "q=%00", "replytocom=abc", "a" * 500])
def test_bad_query_strings_never_break_a_feed(client, query):
    post = PostFactory(categories=[CategoryFactory(slug="shared")], tags=[TagFactory(slug="shared")])
    for url in [*ALL_FEEDS, feed_url(post)]:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, (url, query)


@pytest.mark.parametrize("size", [2, 25])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/feed/", 3),  # posts with authors, their categories, their tags
        ("/feed/atom/", 3),
        ("/category/shared/feed/", 6),  # + the category, the category tree, the "has posts" check
        ("/tag/shared/feed/", 5),  # + the tag and the "has posts" check
        ("/comments/feed/", 1),  # comments with their posts
        ("post", 2),  # the post, its comments
    ],
)
def test_feed_query_count_does_not_grow(client, django_assert_max_num_queries, size, url, queries):
    category, tag = CategoryFactory(slug="shared"), TagFactory(slug="shared")
    for _ in range(size):
        post = PostFactory(categories=[category, CategoryFactory()], tags=[tag, TagFactory()], author=UserFactory())
        CommentFactory(post=post)
        CommentFactory(post=post, parent=post.comments.first())
    if url == "post":
        url = feed_url(post)
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert len(feedparser.parse(response.content).entries) >= 2


# Advertising


def test_front_page_advertises_the_site_and_comments_feeds(client):
    PostFactory()
    response = client.get("/")
    rss = '<link rel="alternate" type="application/rss+xml"'
    assertContains(response, f'{rss} title="Steady Ground » Feed" href="/feed/">')
    assertContains(response, f'{rss} title="Steady Ground » Comments Feed" href="/comments/feed/">')


def test_article_advertises_its_comments_feed(client, demo):
    response = client.get(ARTICLE)
    assertContains(response, 'type="application/rss+xml" title="Steady Ground » Feed" href="/feed/"')
    assertContains(response, 'title="Steady Ground » Comments Feed" href="/comments/feed/"')
    assertContains(response, 'type="application/rss+xml" title="Steady Ground » Do’s')
    assertContains(response, f'Comments Feed" href="{ARTICLE}feed/">')


def test_category_and_tag_archives_advertise_their_feeds(client):
    category, tag = CategoryFactory(name="Love", slug="love"), TagFactory(name="Calm", slug="calm")
    PostFactory(categories=[category], tags=[tag])
    assertContains(
        client.get("/category/love/"), 'title="Steady Ground » Love Category Feed" href="/category/love/feed/"'
    )
    assertContains(client.get("/tag/calm/"), 'title="Steady Ground » Calm Tag Feed" href="/tag/calm/feed/"')


@pytest.mark.django_db
def test_category_and_tag_feeds_without_published_posts_are_404(client):
    from blog.models import Post
    from tests.factories import CategoryFactory, PostFactory, TagFactory

    category, tag = CategoryFactory(slug="drafts-only"), TagFactory(slug="drafts-tag")
    PostFactory(status=Post.Status.DRAFT, categories=[category], tags=[tag])
    assert client.get("/category/drafts-only/feed/").status_code == 404
    assert client.get("/tag/drafts-tag/feed/").status_code == 404


@pytest.mark.django_db
def test_the_atom_feed_is_advertised_too(client):
    from tests.factories import PostFactory

    PostFactory()
    html = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html and 'href="/feed/atom/"' in html
