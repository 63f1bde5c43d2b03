"""The visual editor on post and page bodies: its widget, the CSP of its page, and what is stored.

Whatever the editor (or a forged request) sends, the body is cleaned by one
policy, blog.sanitize's, when the post or page is saved through the admin.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils.csp import CSP
from pytest_django.asserts import assertContains, assertNotContains

from blog.editor import editor_csp
from blog.models import Page, Post
from tests.factories import CategoryFactory, PostFactory, UserFactory, login

pytestmark = pytest.mark.django_db

# What the editor sends for every kind of block and mark it offers: all of it is kept.
EDITOR_OUTPUT = (
    "<h2>Heading two</h2><h3>Heading three</h3><h4>Heading four</h4>"
    "<p>Some <strong>bold</strong>, <em>italic</em>, <code>inline code</code> and "
    '<a href="https://example.com/read">a link</a>.</p>'
    "<ul><li><p>One</p></li><li><p>Two</p></li></ul>"
    '<ol start="3"><li><p>Three</p></li></ol>'
    "<blockquote><p>Quoted</p></blockquote>"
    '<pre><code class="language-python">print("hi")</code></pre>'
    "<hr>"
    '<img src="/media/images/2026/12/calm.jpg" alt="A calm lake" width="800" height="600">'
    '<figure><img src="/media/images/calm.jpg" alt="Lake"><figcaption>The lake</figcaption></figure>'
)

# Pasted from Word, LibreOffice and Google Docs, or forged: each fragment must disappear.
HOSTILE = {
    "script": ("<p>Hi</p><script>alert(1)</script>", ["<script", "alert(1)"]),
    "handler": ('<p onclick="alert(2)">Hi</p><img src="/x.png" alt="x" onerror="alert(3)">', ["onclick", "onerror"]),
    "javascript url": ('<p><a href="javascript:alert(4)">Hi</a></p>', ["javascript:"]),
    "style": ('<p style="color:red;mso-line-height-rule:exactly">Hi</p>', ["style=", "mso-"]),
    "word junk": (
        '<p class=MsoNormal style="mso-margin-top-alt:auto"><span lang=EN-GB '
        "style='font-size:11.0pt;font-family:\"Calibri\",sans-serif;mso-fareast-font-family:Calibri'>Hi"
        "<o:p></o:p></span></p><!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->"
        '<font face="Arial" color="#ff0000">Hi</font>',
        ["<o:p", "mso-", "<font", "font-family", "<xml", "w:WordDocument", "<!--", "[if gte mso"],
    ),
    "iframe": ('<p>Hi</p><iframe src="https://example.com/embed"></iframe>', ["<iframe", "example.com/embed"]),
    "data url image": ('<p>Hi</p><img src="data:image/png;base64,iVBORw0KGgo=" alt="x">', ["data:"]),
}


@pytest.fixture
def author_client(client):
    author = UserFactory(username="author", is_staff=True)
    author.groups.add(Group.objects.get(name="Author"))
    client.force_login(author)
    return client


@pytest.fixture
def admin_client(client):
    # Pages are the administrator's (no role has their permissions).
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def client_for(save, request):
    return request.getfixturevalue("author_client" if save is save_post else "admin_client")


def post_data(body, **overrides):
    return {
        "title": "Fresh words",
        "slug": "fresh-words",
        "body": body,
        "excerpt": "",
        "status": "draft",
        "categories": [CategoryFactory().pk],
        "comments_open": "on",
        **overrides,
    }


def page_data(body):
    return {"title": "About", "slug": "about", "body": body, "status": "draft", "menu_order": "0"}


def save_post(client, body):
    response = client.post("/admin/blog/post/add/", post_data(body))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Post.objects.get(slug="fresh-words").body


def save_page(client, body):
    response = client.post("/admin/blog/page/add/", page_data(body))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Page.objects.get(slug="about").body


def test_the_post_form_shows_the_body_as_the_editor_widget_with_its_config(author_client):
    response = author_client.get("/admin/blog/post/add/")
    html = response.content.decode()
    textarea = re.search(r"<textarea[^>]*name=\"body\"[^>]*>", html).group(0)
    assert "data-django-prose-editor-body=" in textarea
    assert "&quot;headingLevels&quot;:[2,3,4]" in textarea
    assert 'class="vLargeTextField"' in textarea
    assert not re.search(r"\srequired[\s>=]", textarea)  # hidden under the editor, it must not block the submit
    assertContains(response, 'src="/static/js/body-editor.js"')
    assertContains(response, 'href="/static/css/body-editor.css"')


def test_the_page_form_uses_the_editor_too(admin_client):
    response = admin_client.get("/admin/blog/page/add/")
    assertContains(response, "data-django-prose-editor-body=")
    assertContains(response, 'src="/static/js/body-editor.js"')


def test_the_import_map_is_allowed_by_the_nonce_of_the_editor_page_only(author_client):
    response = author_client.get("/admin/blog/post/add/")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    policy = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == f"'self' 'nonce-{nonce}'"
    assert policy["style-src"] == "'self'"
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    importmap = re.search(r"<script[^>]*type=\"importmap\"[^>]*>", response.content.decode()).group(0)
    assert f'nonce="{nonce}"' in importmap
    # The rest of the admin and the public pages keep the strict policy, without a nonce.
    for url in ["/admin/blog/post/", "/"]:
        assert "nonce" not in author_client.get(url).headers["Content-Security-Policy"]


def test_editor_csp_adds_only_the_nonce_to_the_site_policy(settings):
    settings.SECURE_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF], "style-src": [CSP.SELF]}
    assert editor_csp() == {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE],
        "style-src": [CSP.SELF],
    }
    assert settings.SECURE_CSP["script-src"] == [CSP.SELF]


def test_writers_who_may_upload_get_insert_image_and_contributors_do_not(author_client):
    assertContains(author_client.get("/admin/blog/post/add/"), 'data-image-upload-url="/admin/blog/image/upload/"')
    contributor = login(Client(), "Contributor")
    response = contributor.get("/admin/blog/post/add/")
    assertContains(response, 'data-image-upload-url=""')
    assertNotContains(response, 'data-image-upload-url="/')


def test_the_body_field_cleans_nothing_itself_one_policy_on_save(author_client):
    # No second, different sanitiser (django-prose-editor's SanitizedProseEditorField):
    # the form keeps what was typed, the model's save cleans it with blog.sanitize.
    response = author_client.post("/admin/blog/post/add/", post_data("<p onclick='x'>Hi</p>", title=""))
    assert response.status_code == 200
    assert response.context["adminform"].form.cleaned_data["body"] == "<p onclick='x'>Hi</p>"
    assertContains(response, "&lt;p onclick=&#x27;x&#x27;&gt;Hi&lt;/p&gt;</textarea>")  # shown again as typed


@pytest.mark.parametrize("save", [save_post, save_page], ids=["post", "page"])
def test_normal_editor_output_is_stored_as_sent(save, request):
    body = save(client_for(save, request), EDITOR_OUTPUT)
    for fragment in [
        "<h2>Heading two</h2>",
        "<h3>Heading three</h3>",
        "<h4>Heading four</h4>",
        "<strong>bold</strong>",
        "<em>italic</em>",
        "<code>inline code</code>",
        '<a href="https://example.com/read" rel="noopener noreferrer">a link</a>',
        "<ul><li><p>One</p></li><li><p>Two</p></li></ul>",
        '<ol start="3"><li><p>Three</p></li></ol>',
        "<blockquote><p>Quoted</p></blockquote>",
        '<pre><code class="language-python">print("hi")</code></pre>',
        "<hr>",
        '<img src="/media/images/2026/12/calm.jpg" alt="A calm lake" width="800" height="600">',
        '<figure><img src="/media/images/calm.jpg" alt="Lake"><figcaption>The lake</figcaption></figure>',
    ]:
        assert fragment in body


@pytest.mark.parametrize("save", [save_post, save_page], ids=["post", "page"])
@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_or_pasted_junk_is_removed_on_save(kind, save, request):
    sent, removed = HOSTILE[kind]
    body = save(client_for(save, request), sent)
    assert "Hi" in body
    for fragment in removed:
        assert fragment not in body


def test_an_edit_through_the_editor_form_is_cleaned_too(author_client):
    post = PostFactory(author=UserFactory(username="author"), status=Post.Status.DRAFT, slug="fresh-words")
    data = post_data('<h2 style="color:red">New</h2><script>x()</script>', categories=[post.categories.get().pk])
    response = author_client.post(f"/admin/blog/post/{post.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    post.refresh_from_db()
    assert post.body == "<h2>New</h2>"
