"""Search: what it finds, what it never shows, how the index follows edits, odd input, pages, queries."""

import datetime
import importlib
import io
import types

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from blog.models import Post
from blog.search import search_posts
from blog.search.highlighting import highlight
from blog.search.models import PostSearchDocument
from blog.search.query import parse_query
from blog.search.sqlite import fts5_query
from tests.factories import CategoryFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def found(query):
    return [post.title for post in search_posts(query).posts]


# What it finds


@pytest.mark.parametrize(
    ("fields", "query"),
    [
        ({"title": "Harbour lights"}, "harbour"),
        ({"body": "<p>We walked along the <em>harbour</em> at dusk.</p>"}, "harbour"),
        ({"excerpt": "A walk by the harbour."}, "harbour"),
    ],
    ids=["title", "body", "excerpt"],
)
def test_finds_a_post_by_its_title_body_or_excerpt(fields, query):
    PostFactory(**{"title": "The match", **fields})
    PostFactory(title="Unrelated")
    assert found(query) == [fields.get("title", "The match")]


def test_finds_a_post_by_a_tag_name():
    PostFactory(title="Tagged", tags=[TagFactory(name="Forgiveness")])
    PostFactory(title="Untagged")
    assert found("forgiveness") == ["Tagged"]


def test_finds_a_post_by_a_category_name():
    PostFactory(title="Filed", categories=[CategoryFactory(name="Relationships")])
    PostFactory(title="Elsewhere")
    assert found("relationships") == ["Filed"]


def test_every_word_must_match():
    PostFactory(title="Harbour lights")
    PostFactory(title="Harbour fog")
    assert found("harbour lights") == ["Harbour lights"]


def test_a_quoted_phrase_must_match_as_a_phrase():
    PostFactory(title="Walk the line")
    PostFactory(title="Line up for a walk")
    assert found('"walk the line"') == ["Walk the line"]
    assert sorted(found("walk line")) == ["Line up for a walk", "Walk the line"]


def test_a_word_after_a_minus_is_left_out():
    PostFactory(title="Harbour lights")
    PostFactory(title="Harbour fog")
    assert found("harbour -fog") == ["Harbour lights"]
    assert found("-fog") == []  # nothing to find: no results, not everything


def test_stop_words_alone_find_nothing():
    PostFactory(title="The one and only")
    assert found("the and") == []


def test_words_are_matched_by_their_stem():
    PostFactory(title="Letters", body="<p>She kept writing letters to him.</p>")
    assert found("letter") == ["Letters"]


def test_a_title_match_ranks_above_a_body_only_match():
    now = timezone.now()
    # The body-only match is newer, so only the ranking can put the title first.
    PostFactory(
        title="Notes", body="<p>Some thoughts on lighthouses.</p>", published_at=now - datetime.timedelta(hours=1)
    )
    PostFactory(title="Lighthouses", body="<p>Tall and white.</p>", published_at=now - datetime.timedelta(days=3))
    assert found("lighthouses") == ["Lighthouses", "Notes"]


# What it never shows


def hidden_posts(word):
    """One post of every kind the public must never see, each matching ``word`` everywhere."""
    fields = {"body": f"<p>{word}</p>", "excerpt": word, "tags": [TagFactory(name=word)]}
    return [
        PostFactory(title=f"{word} draft", status=Post.Status.DRAFT, **fields),
        PostFactory(title=f"{word} pending", status=Post.Status.PENDING, **fields),
        PostFactory(title=f"{word} private", status=Post.Status.PRIVATE, **fields),
        PostFactory(title=f"{word} future", published_at=timezone.now() + datetime.timedelta(days=1), **fields),
    ]


def test_drafts_pending_private_and_future_posts_are_never_found(client):
    hidden_posts("Clandestine")
    PostFactory(title="Public clandestine meeting")
    assert found("clandestine") == ["Public clandestine meeting"]
    response = client.get("/search/", {"q": "clandestine"})
    assertContains(response, "1 result")
    for kind in ("draft", "pending", "private", "future"):
        assertNotContains(response, f"Clandestine {kind}")


def test_a_scheduled_post_is_found_once_its_time_has_come():
    post = PostFactory(title="Tomorrow's lantern", published_at=timezone.now() + datetime.timedelta(days=1))
    assert found("lantern") == []
    # Going live changes nothing in the database: the post was indexed when saved.
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - datetime.timedelta(minutes=1))
    assert found("lantern") == ["Tomorrow's lantern"]


# The index follows the posts


def test_a_new_title_is_found_and_the_old_one_is_not():
    post = PostFactory(title="Marigold")
    post.title = "Sunflower"
    post.save()
    assert found("sunflower") == ["Sunflower"]
    assert found("marigold") == []


def test_a_deleted_post_is_gone():
    post = PostFactory(title="Ephemeral")
    post.delete()
    assert found("ephemeral") == []
    assert not PostSearchDocument.objects.exists()


def test_an_unpublished_post_is_gone():
    post = PostFactory(title="Withdrawn essay")
    assert found("withdrawn") == ["Withdrawn essay"]
    post.status = Post.Status.DRAFT
    post.save()
    assert found("withdrawn") == []


def test_tags_added_removed_and_renamed_are_followed():
    post = PostFactory(title="Tagged post")
    tag = TagFactory(name="Gratitude")
    post.tags.add(tag)
    assert found("gratitude") == ["Tagged post"]
    tag.name = "Thankfulness"
    tag.save()
    assert found("thankfulness") == ["Tagged post"]
    assert found("gratitude") == []
    post.tags.remove(tag)
    assert found("thankfulness") == []


def test_tags_changed_from_the_tag_side_are_followed():
    post = PostFactory(title="Tagged post")
    tag = TagFactory(name="Gratitude")
    tag.posts.add(post)
    assert found("gratitude") == ["Tagged post"]
    tag.posts.clear()
    assert found("gratitude") == []
    tag.posts.set([post])
    tag.delete()
    assert found("gratitude") == []


def test_categories_changed_renamed_and_deleted_are_followed():
    old, new = CategoryFactory(name="Travel"), CategoryFactory(name="Cooking")
    post = PostFactory(title="Filed post", categories=[old])
    post.categories.set([new])
    assert found("cooking") == ["Filed post"]
    assert found("travel") == []
    new.name = "Baking"
    new.save()
    assert found("baking") == ["Filed post"]
    post.categories.add(old)
    old.delete()
    assert found("travel") == []
    assert found("baking") == ["Filed post"]


def test_the_index_is_written_in_the_same_transaction_as_the_post():
    post = PostFactory(title="Steadfast")
    with pytest.raises(RuntimeError), transaction.atomic():
        post.title = "Fickle"
        post.save()
        assert found("fickle") == ["Fickle"]
        raise RuntimeError("the save is rolled back")
    assert found("fickle") == []
    assert found("steadfast") == ["Steadfast"]


def test_a_post_saved_in_the_admin_is_found_by_its_tag(client):
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(boss)
    category, tag = CategoryFactory(), TagFactory(name="Reconciliation")
    data = {
        "author": boss.pk,
        "title": "Admin words",
        "slug": "admin-words",
        "body": "<p>Hello</p>",
        "excerpt": "",
        "status": "published",
        "published_at_0": "2024-05-01",
        "published_at_1": "10:00:00",
        "categories": [category.pk],
        "tag_names": tag.name,
        "comments_open": "on",
    }
    response = client.post("/admin/blog/post/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert found("reconciliation") == ["Admin words"]


def test_rebuild_command_restores_a_lost_index():
    PostFactory(title="Recovered")
    PostSearchDocument.objects.all().delete()
    assert found("recovered") == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Indexed 1 post." in out.getvalue()
    assert found("recovered") == ["Recovered"]


def test_the_migration_indexes_existing_posts():
    PostFactory(title="Before search existed", tags=[TagFactory(name="Heritage")])
    PostSearchDocument.objects.all().delete()
    migration = importlib.import_module("blog.migrations.0006_search_index")
    from django.apps import apps

    migration.index_existing_posts(apps, types.SimpleNamespace(connection=connection))
    assert found("heritage") == ["Before search existed"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table")
def test_fts5_table_stays_consistent_with_the_documents():
    post = PostFactory(title="Consistent", tags=[TagFactory(name="Order")])
    post.title = "Still consistent"
    post.save()
    post.tags.clear()
    PostFactory(title="Another").delete()
    with connection.cursor() as cursor:  # raises when the external-content index disagrees
        cursor.execute("INSERT INTO blog_postsearchindex(blog_postsearchindex, rank) VALUES ('integrity-check', 1)")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN index")
def test_postgresql_matches_through_the_gin_index():
    PostFactory(title="Indexed")
    posts = search_posts("indexed").posts
    with transaction.atomic(), connection.cursor() as cursor:
        # On a small table a scan is cheaper: leave the planner only bitmap scans, to see the index fits the query.
        for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan", "enable_nestloop"):
            cursor.execute(f"SET LOCAL {setting} = off")
        plan = posts.explain()
    assert "blog_postsearchdocument_fts_idx" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's generated column")
def test_postgresql_vector_weighs_title_above_body():
    post = PostFactory(title="Compass", body="<p>North.</p>")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM blog_postsearchdocument WHERE post_id = %s", [post.pk])
        vector = cursor.fetchone()[0]
    assert "'compass':1A" in vector and "'north':" in vector and "C" not in vector.split("'north':")[1][:4]


# Highlighting


def test_matching_words_are_marked_in_title_and_excerpt(client):
    PostFactory(title="Gentle rain", body="<p>Listening to the <strong>rain</strong> together.</p>")
    response = client.get("/search/", {"q": "rain"})
    assertContains(response, "Gentle <mark>rain</mark>")
    assertContains(response, "Listening to the <mark>rain</mark> together.")


def test_text_that_looks_like_html_is_escaped_not_run(client):
    PostFactory(
        title="Escaping <b>bold</b> & more",
        body="<p>Never run &lt;script&gt;alert('x')&lt;/script&gt; from a reader.</p>",
    )
    response = client.get("/search/", {"q": "reader"})
    assertContains(response, "Escaping &lt;b&gt;bold&lt;/b&gt; &amp; more</a>")
    assertContains(response, "Never run &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; from a <mark>reader</mark>.")
    assertNotContains(response, "<script>alert")
    assertNotContains(response, "<b>bold")


def test_marks_are_added_after_escaping():
    marked = str(highlight("<script>alert(1)</script>", ["script"]))
    assert marked == "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"


def test_a_term_that_is_an_entity_name_does_not_break_escaping():
    assert str(highlight("Fish & chips < 5", ["amp", "lt"])) == "Fish &amp; chips &lt; 5"


def test_the_excerpt_is_cut_around_a_late_match():
    text = " ".join(["filler"] * 100) + " the beacon appears " + " ".join(["more"] * 100)
    excerpt = str(highlight(text, ["beacon"]))
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert "<mark>beacon</mark>" in excerpt
    assert len(excerpt) < 320


def test_without_a_match_in_the_text_the_excerpt_is_its_start():
    assert str(highlight("Quiet morning. " * 40, ["absent"])).startswith("Quiet morning. Quiet")


# The page


def test_heading_shows_the_escaped_query_and_the_page_is_not_indexed(client):
    response = client.get("/search/", {"q": "<i>love</i>"})
    assertContains(response, '<meta name="robots" content="noindex">', html=False)
    assertContains(response, 'Search results for: <span class="search-query">&lt;i&gt;love&lt;/i&gt;</span>')
    assertNotContains(response, "<i>love</i>")


def test_empty_query_gives_a_prompt_and_no_results(client):
    PostFactory(title="Anything")
    response = client.get("/search/")
    assert response.status_code == 200
    assertContains(response, "Type a few words above to search the posts.")
    assertNotContains(response, "Anything</a></h2>")
    assertContains(client.get("/search/", {"q": "   "}), "Type a few words")


def test_no_match_says_so_with_a_suggestion(client):
    PostFactory(title="Anything")
    response = client.get("/search/", {"q": "zeppelin"})
    assertContains(response, "0 results")
    assertContains(response, "Nothing matched “zeppelin”. Try fewer words")
    # "browse the categories" takes the reader to the categories in the sidebar.
    assertContains(response, '<a href="#widget-categories">browse the categories</a>', html=True)
    assertContains(response, '<section id="widget-categories"')


def test_the_form_is_labelled_and_keeps_the_query(client):
    response = client.get("/search/", {"q": "calm seas"})
    assertContains(response, '<form role="search" class="search-form" action="/search/" method="get"')
    assertContains(response, '<label><span class="search-label">Search for:</span> <input type="search" name="q"')
    assertContains(response, 'value="calm seas"')


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced',
        "*",
        "steady*",
        "AND OR NOT",
        "NOT steady",
        "steady OR",
        "NEAR(",
        "NEAR(steady close, 2)",
        "')--",
        "'; DROP TABLE blog_post; --",
        "%",
        "100%_",
        "title:steady",
        "{steady close}",
        "^steady",
        "-steady",
        "steady -close",
        "a & b | !c <-> d",
        "x" * 10_000,
        "steady " * 2_000,
        "❤️ 🫶 💔",
        "stea\x00dy",
        "\x00",
        "\x1b[31m red \x7f",
        "Ünïcödé çlose",
        "__",
    ],
)
def test_odd_and_hostile_queries_give_a_normal_page(client, query):
    PostFactory(title="Steady ground")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assertContains(response, "Search")
    search_posts(query).posts.count()  # and the function itself never raises


@pytest.mark.parametrize("raw", ["q=%FF%FE%C0%80", "q=%00", "q=a&q=%22", "q[]=x", "q=%25%", "q=%E2%80%AE%E2%80%8B"])
def test_malformed_query_strings_give_a_normal_page(client, raw):
    assert client.get(f"/search/?{raw}").status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("calm", '("calm"*)'),
        ('NEAR( "x y" OR b*', '("near"* "x y" "b")'),
        ('steady -"close call" AND', '("steady"*) NOT "close call"'),
        ("well-being", '("well being")'),
        ("title:x ^y {z}", '("title x" "y" "z")'),
    ],
)
def test_fts5_expressions_are_only_quoted_words(query, expected):
    assert fts5_query(*parse_query(query)) == expected


def test_queries_are_cut_at_200_characters():
    assert search_posts("a" * 300).query == "a" * 200
    assert len(search_posts("word " * 100).query) == 199  # the 200 characters, less the space they end on
    assert search_posts("a\x00b\tc\n").query == "a b c"


def test_pagination_keeps_the_query_and_bad_pages_are_not_errors(client):
    now = timezone.now()
    for number in range(12):
        PostFactory(title=f"Voyage {number:02d}", published_at=now - datetime.timedelta(hours=number + 1))
    first = client.get("/search/", {"q": "voyage"})
    assert len(first.context["results"]) == 10
    assertContains(first, "12 results")
    assertContains(first, 'rel="next" href="?q=voyage&amp;page=2"')
    second = client.get("/search/", {"q": "voyage", "page": "2"})
    assert [result.post.title for result in second.context["results"]] == ["Voyage 10", "Voyage 11"]
    assertContains(second, 'rel="prev" href="?q=voyage&amp;page=1"')
    assert client.get("/search/", {"q": "voyage", "page": "last"}).status_code == 200
    for page in ("3", "0", "-1", "abc", "1.5", "9" * 50, "\x00"):
        assert client.get("/search/", {"q": "voyage", "page": page}).status_code == 404, page


@pytest.mark.parametrize("size", [5, 60])
def test_search_page_uses_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    now = timezone.now()
    tags = [TagFactory(name=f"Tide {number}") for number in range(3)]
    for number in range(size):
        PostFactory(title=f"Tide log {number}", tags=tags, published_at=now - datetime.timedelta(hours=number + 1))
    client.get("/search/", {"q": "tide"})  # warm the site's cached fragments
    with django_assert_max_num_queries(2):
        response = client.get("/search/", {"q": "tide"})
    assertContains(response, f"{size} results")
    assert len(response.context["results"]) == min(size, 10)
