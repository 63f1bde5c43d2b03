"""Preview: the admin's Preview button (unsaved edits shown as the site will show them) and signed links."""

import datetime
import re
import time

import pytest
from django.core import signing
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from blog import preview
from blog.models import OldSlug, Page, Post, Tag
from tests.factories import CategoryFactory, ImageFactory, PostFactory, TagFactory, UserFactory, login

pytestmark = pytest.mark.django_db

ADD_PREVIEW = "/admin/blog/post/preview/"
BANNER = 'class="preview-banner"'
ROBOTS = '<meta name="robots" content="noindex, nofollow">'


def post_form(**overrides):
    data = {
        "title": "Unsaved words",
        "slug": "unsaved-words",
        "body": "<p>Hello <em>there</em></p><script>alert(1)</script>",
        "excerpt": "",
        "status": "draft",
        "categories": [CategoryFactory(name="Closeness").pk],
        "comments_open": "on",
        "_preview": "Preview",
    }
    data.update(overrides)
    return data


def edit_form(post, **overrides):
    data = post_form(title=post.title, slug=post.slug, body=post.body, status=post.status)
    data["categories"] = [category.pk for category in post.categories.all()]
    data.update(overrides)
    return data


def preview_url(post):
    return f"/admin/blog/post/{post.pk}/preview/"


def link_url(post):
    return f"/admin/blog/post/{post.pk}/preview-link/"


def assert_is_preview(response):
    assertContains(response, BANNER, status_code=response.status_code)
    assertContains(response, "Preview — not published", status_code=response.status_code)
    assertContains(response, ROBOTS, status_code=response.status_code)
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def stored_state():
    return (Post.objects.count(), OldSlug.objects.count(), Page.objects.count(), Tag.objects.count())


# The buttons


def test_add_and_change_forms_have_the_preview_button(author):
    html = author.get("/admin/blog/post/add/").content.decode()
    assert re.search(r'name="_preview"[^>]*formaction="/admin/blog/post/preview/"[^>]*formtarget="_blank"', html)
    assert "_preview_link" not in html  # nothing saved yet, so nothing to link to
    post = PostFactory(author=author.user, status=Post.Status.DRAFT)
    html = author.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert f'formaction="{preview_url(post)}"' in html
    assert f'formaction="{link_url(post)}"' in html
    assert "Get a preview link" in html


def test_page_form_has_the_preview_button(editor):
    html = editor.get("/admin/blog/page/add/").content.decode()
    assert 'formaction="/admin/blog/page/preview/"' in html


# Previewing unsaved edits


def test_preview_of_a_new_post_shows_it_as_the_site_would_and_saves_nothing(author):
    tag = TagFactory(name="Patience")
    before = stored_state()
    response = author.post(ADD_PREVIEW, post_form(tag_names=f"{tag.name}, Not yet a tag"))
    assert response.status_code == 200
    assert_is_preview(response)
    assertContains(response, '<h1 class="entry-title">Unsaved words</h1>', html=True)
    assertContains(response, "<em>there</em>")
    assertNotContains(response, "<script>alert(1)")
    assertContains(response, "Closeness")
    assertContains(response, "Patience")
    assertContains(response, "Not yet a tag")  # shown, created only when the post is saved
    assertContains(response, author.user.first_name)
    assertNotContains(response, 'id="commentform"')
    assert stored_state() == before


def test_preview_of_edits_to_a_published_post_leaves_the_post_and_its_page_unchanged(author):
    post = PostFactory(author=author.user, title="Live title", slug="live-title", tags=[TagFactory(name="Old")])
    saved = Post.objects.values().get(pk=post.pk)
    new_tag = TagFactory(name="Brand new")
    data = edit_form(
        post,
        title="Edited title",
        slug="edited-title",
        body="<p>Rewritten.</p>",
        status="published",
        published_at_0="2024-05-01",
        published_at_1="10:00:00",
        tag_names=new_tag.name,
    )
    response = author.post(preview_url(post), data)
    assert response.status_code == 200
    assert_is_preview(response)
    assertContains(response, "Edited title")
    assertContains(response, "Rewritten.")
    assertContains(response, "Brand new")
    assertNotContains(response, 'rel="tag">Old<')
    assert Post.objects.values().get(pk=post.pk) == saved
    assert list(post.tags.values_list("name", flat=True)) == ["Old"]
    assert not OldSlug.objects.exists()
    public = author.get(post.get_absolute_url())
    assertContains(public, "Live title")
    assertNotContains(public, "Edited title")
    assertNotContains(public, BANNER)


def test_preview_of_a_page(editor):
    before = stored_state()
    data = {"title": "About us", "slug": "about", "body": "<p>Who we are.</p>", "status": "draft", "menu_order": 0}
    response = editor.post("/admin/blog/page/preview/", data)
    assert response.status_code == 200
    assert_is_preview(response)
    assertContains(response, '<h1 class="entry-title">About us</h1>', html=True)
    assertContains(response, "Who we are.")
    assert stored_state() == before
    page = Page.objects.create(title="Team", slug="team", body="<p>Us.</p>", status="published")
    response = editor.post(f"/admin/blog/page/{page.pk}/preview/", {**data, "title": "Our team"})
    assertContains(response, "Our team")
    page.refresh_from_db()
    assert page.title == "Team"


def test_invalid_form_says_what_is_wrong_with_a_400(author):
    data = post_form(title="", categories=["not-a-number"], slug="bad slug!")
    response = author.post(ADD_PREVIEW, data)
    assert response.status_code == 400
    assert_is_preview(response)
    assertContains(response, "This preview cannot be shown yet.", status_code=400)
    assertContains(response, "Title:", status_code=400)
    assertContains(response, "This field is required.", status_code=400)
    assertContains(response, "Categories:", status_code=400)
    assert not Post.objects.exists()


def test_preview_address_opened_directly_goes_back_to_the_form(author):
    post = PostFactory(author=author.user, status=Post.Status.DRAFT)
    assertRedirects(author.get(ADD_PREVIEW), "/admin/blog/post/add/")
    assertRedirects(author.get(preview_url(post)), f"/admin/blog/post/{post.pk}/change/")
    assert author.post("/admin/blog/post/999999/preview/", post_form()).status_code == 404


def test_preview_runs_a_fixed_number_of_queries(editor, django_assert_max_num_queries):
    def preview_with(count):
        categories = [CategoryFactory().pk for _ in range(count)]
        tags = ", ".join(TagFactory().name for _ in range(count))
        data = post_form(categories=categories, tag_names=tags, author=editor.user.pk)
        editor.post(ADD_PREVIEW, data)  # the menu and the sidebar are cached fragments
        # Typed tags are looked up twice (checked by the form, then named for the page): one query each.
        with django_assert_max_num_queries(14) as captured:
            response = editor.post(ADD_PREVIEW, data)
        assert response.status_code == 200
        return len(captured)

    assert preview_with(1) == preview_with(15)


# Who may preview


def test_author_cannot_preview_another_authors_post(author):
    post = PostFactory(author=UserFactory(username="someone"))
    assert author.post(preview_url(post), edit_form(post, title="Mine now")).status_code == 403
    assert author.post(link_url(post)).status_code == 403


def test_editor_previews_any_post(editor):
    post = PostFactory(author=UserFactory(username="someone"), status=Post.Status.PENDING)
    response = editor.post(preview_url(post), edit_form(post, title="Tidied", author=post.author_id))
    assertContains(response, "Tidied")


def test_contributor_previews_own_draft_but_not_own_published_post(contributor):
    draft = PostFactory(author=contributor.user, status=Post.Status.DRAFT)
    assertContains(contributor.post(preview_url(draft), edit_form(draft, title="Draft v2")), "Draft v2")
    published = PostFactory(author=contributor.user)
    assert contributor.post(preview_url(published), edit_form(published)).status_code == 403


def test_contributor_cannot_publish_through_preview(contributor):
    draft = PostFactory(author=contributor.user, status=Post.Status.DRAFT, published_at=None)
    forged = edit_form(draft, status="published")
    response = contributor.post(preview_url(draft), forged)
    assert response.status_code == 400
    assertContains(response, "Select a valid choice", status_code=400)
    # A publication time is not a field for a contributor: it is ignored, and nothing is saved.
    dated = edit_form(draft, status="pending", published_at_0="2024-05-01", published_at_1="10:00:00")
    assert contributor.post(preview_url(draft), dated).status_code == 200
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (Post.Status.DRAFT, None)
    assert not Post.objects.published().exists()


def test_moderator_cannot_preview_posts(client):
    login(client, "Moderator")
    assert client.post(ADD_PREVIEW, post_form()).status_code == 403


# Signed preview links


def test_preview_link_shows_the_saved_draft_to_someone_without_an_account(author, client, settings):
    post = PostFactory(author=author.user, title="Work in progress", status=Post.Status.DRAFT, published_at=None)
    response = author.post(link_url(post))
    assert response.status_code == 200
    link = re.search(r'id="preview-link"[^>]*>([^<]+)</textarea>', response.content.decode()).group(1)
    assert link.startswith(f"{settings.SITE_URL}/preview/")
    client.logout()
    response = client.get(link[link.index("/preview/") :])
    assert response.status_code == 200
    assert_is_preview(response)
    assertContains(response, "Work in progress")
    assertNotContains(response, 'id="commentform"')


def shared(post):
    return f"/preview/{preview.preview_link_token(post)}/"


def test_expired_preview_link_says_so(client, monkeypatch):
    post = PostFactory(status=Post.Status.PENDING)
    long_ago = int(time.time()) - 49 * 60 * 60
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(long_ago))
    url = shared(post)
    monkeypatch.undo()
    response = client.get(url)
    assertContains(response, "This preview link has expired. Ask the author for a new one.", status_code=403)
    assertContains(response, ROBOTS, status_code=403)
    assertNotContains(response, "Post number", status_code=403)


def test_preview_link_lasts_as_long_as_the_setting_says(client, settings):
    post = PostFactory(status=Post.Status.DRAFT)
    url = shared(post)
    settings.PREVIEW_LINK_MAX_AGE = -1
    assert client.get(url).status_code == 403
    settings.PREVIEW_LINK_MAX_AGE = 60
    assert client.get(url).status_code == 200


def test_tampered_or_foreign_token_is_a_404_with_a_message(client):
    post = PostFactory(status=Post.Status.DRAFT)
    token = preview.preview_link_token(post)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    other_salt = signing.dumps([post.pk, preview.preview_version(post)], salt="comments.own")
    for url in (f"/preview/{tampered}/", f"/preview/{other_salt}/", "/preview/nonsense/"):
        response = client.get(url)
        assertContains(response, "This preview link is not valid.", status_code=404)


def test_preview_link_of_a_deleted_post_is_a_404(client):
    post = PostFactory(status=Post.Status.DRAFT)
    url = shared(post)
    post.delete()
    assertContains(client.get(url), "This post no longer exists.", status_code=404)


def test_preview_link_of_a_post_published_since_redirects_to_it(client):
    post = PostFactory(status=Post.Status.DRAFT, published_at=None)
    url = shared(post)
    post.status, post.published_at = Post.Status.PUBLISHED, timezone.now() - datetime.timedelta(minutes=1)
    post.save()
    assertRedirects(client.get(url), post.get_absolute_url())


def test_saving_the_post_replaces_its_preview_links(client):
    post = PostFactory(status=Post.Status.DRAFT)
    url = shared(post)
    post.title = "Changed"
    post.save()
    assertContains(client.get(url), "the post has changed since", status_code=403)


def test_contributor_gets_a_link_only_for_own_draft(contributor):
    draft = PostFactory(author=contributor.user, status=Post.Status.DRAFT)
    assert contributor.post(link_url(draft)).status_code == 200
    assertRedirects(contributor.get(link_url(draft)), f"/admin/blog/post/{draft.pk}/change/")
    published = PostFactory(author=contributor.user)
    assert contributor.post(link_url(published)).status_code == 403


# Never listed


def test_previewed_draft_is_in_no_feed_sitemap_or_search(author, client):
    PostFactory(title="Quietly visible", slug="quietly-visible")
    draft = PostFactory(author=author.user, title="Quietly secret", slug="quietly-secret", status=Post.Status.DRAFT)
    assert author.post(preview_url(draft), edit_form(draft)).status_code == 200
    assert author.post(ADD_PREVIEW, post_form(title="Quietly unsaved", slug="quietly-unsaved")).status_code == 200
    assert client.get(shared(draft)).status_code == 200
    for url in ("/feed/", "/feed/atom/", "/sitemap-posts.xml", "/search/?q=quietly", "/"):
        body = client.get(url).content.decode()
        assert "quietly-visible" in body, url  # the surface works…
        for hidden in ("Quietly secret", "quietly-secret", "Quietly unsaved", "quietly-unsaved", "/preview/"):
            assert hidden not in body, (url, hidden)  # …and lists no preview


@pytest.mark.parametrize("token", ["x", "0", "%00", "' OR 1=1 --", "😀" * 50, "a" * 5000, "a:b:c", "..:..:.."])
def test_hostile_preview_tokens_get_a_404_page(client, token):
    assertContains(client.get(f"/preview/{token}/"), "This preview link is not valid.", status_code=404)


def test_preview_link_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    def fetch(count):
        post = PostFactory(
            status=Post.Status.DRAFT,
            categories=[CategoryFactory() for _ in range(count)],
            tags=[TagFactory() for _ in range(count)],
        )
        url = shared(post)
        client.get(url)  # the menu and the sidebar are cached fragments
        with django_assert_max_num_queries(6) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert fetch(1) == fetch(12)


def test_the_chosen_featured_image_shows_responsive_in_the_preview(author):
    cover = ImageFactory(uploaded_by=author.user, alt="A quiet cover")
    response = author.post(ADD_PREVIEW, post_form(featured_image=cover.pk))
    assertContains(response, 'alt="A quiet cover"')
    assertContains(response, cover.webp_srcset)
    assert not Post.objects.exists()


def test_author_cannot_preview_pages(author):
    data = {"title": "About", "slug": "about", "body": "<p>x</p>", "status": "draft", "menu_order": 0}
    assert author.post("/admin/blog/page/preview/", data).status_code == 403
