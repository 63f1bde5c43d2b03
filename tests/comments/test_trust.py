"""Who is trusted with what: commenters' addresses in the admin, and who skips the comment rules."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from pytest_django.asserts import assertContains

from comments.models import Comment, Subscription
from comments.permissions import is_trusted_commenter
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"
SUBSCRIPTIONS = "/admin/comments/subscription/"
HIDDEN_COLUMNS = ("author_email", "ip_address", "user_agent")


def member(group, username):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def author():
    return member("Author", "writer")


@pytest.fixture
def secret_comment(author):
    """A comment on the author's own post, so the author sees the row but not the address."""
    parent = CommentFactory(
        post=PostFactory(author=author),
        author_email="secret@example.org",
        ip_address="203.0.113.50",
        user_agent="SecretBrowser/1.0",
        user=UserFactory(username="registered", email="registered@example.org"),
    )
    return CommentFactory(post=parent.post, parent=parent, author_email="secret@example.org", status="pending")


# Commenters' addresses: no lookup reveals them to an author

HIDDEN_LOOKUPS = [
    {"author_email__regex": "^secret"},
    {"author_email__iregex": "^SECRET"},
    {"author_email__startswith": "secret"},
    {"author_email__istartswith": "SECRET"},
    {"author_email__contains": "secret"},
    {"author_email__endswith": "example.org"},
    {"author_email__exact": "secret@example.org"},
    {"author_email__iexact": "SECRET@example.org"},
    {"author_email": "secret@example.org"},
    {"author_email__isnull": "False"},
    {"author_email__in": "secret@example.org,other@example.org"},
    {"author_email__gt": "s"},
    {"author_email__lte": "t"},
    {"author_email__range": "s,t"},
    {"author_email__length": "18"},
    {"author_email__lower__startswith": "secret"},
    {"ip_address": "203.0.113.50"},
    {"ip_address__startswith": "203."},
    {"ip_address__isnull": "True"},
    {"user_agent__contains": "Secret"},
    {"user_agent__regex": "^S"},
    {"parent__author_email__startswith": "secret"},
    {"parent__ip_address__startswith": "203."},
    {"parent__parent__user_agent__contains": "Secret"},
    {"replies__author_email__startswith": "secret"},
    {"post__comments__author_email__startswith": "secret"},
    {"user__email__startswith": "registered"},
    {"parent__user__email__startswith": "registered"},
    {"post__author__email__startswith": "writer"},
    {"post__subscriptions__email__startswith": "fan"},
]


@pytest.mark.parametrize("lookup", HIDDEN_LOOKUPS, ids=lambda lookup: next(iter(lookup)))
def test_author_cannot_filter_comments_by_a_hidden_address(client, author, secret_comment, lookup):
    client.force_login(author)
    response = client.get(CHANGELIST, {"status": "pending", **lookup})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "lookup",
    [{"author_email__startswith": "secret"}, {"ip_address": "203.0.113.50"}, {"user_agent__contains": "Secret"}],
)
def test_moderator_still_filters_comments_by_address(client, secret_comment, lookup):
    client.force_login(member("Moderator", "mod"))
    response = client.get(CHANGELIST, lookup)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= 1


@pytest.mark.parametrize(
    "lookup", [{"body__regex": "("}, {"author_name__iregex": "[a-"}, {"author_email__regex": "^s"}]
)
def test_regular_expression_filters_are_refused_for_everyone(client, secret_comment, lookup):
    # No admin link makes them; a broken one used to fail in the database (a 500).
    client.force_login(member("Moderator", "mod"))
    assert client.get(CHANGELIST, lookup).status_code == 400


@pytest.mark.parametrize(
    "lookup",
    [
        {"status": "pending"},
        {"post__id__exact": "1"},
        {"author_name__startswith": "Reader"},
        {"body__contains": "Thoughtful"},
        {"created_at__gte": "2000-01-01T00:00:00+00:00"},
    ],
)
def test_author_still_filters_by_visible_fields(client, author, secret_comment, lookup):
    client.force_login(author)
    assert client.get(CHANGELIST, lookup).status_code == 200


ORDERINGS = [str(index) for index in range(-12, 13)] + ["99", "-99", "--2", "2-", "-", "1.2.3.-4", "abc", "", "٢"]


def ordered_by(response):
    return [str(expression) for expression in response.context["cl"].queryset.query.order_by]


@pytest.mark.parametrize("order", ORDERINGS)
def test_author_cannot_sort_comments_by_a_hidden_column(client, author, secret_comment, order):
    client.force_login(author)
    response = client.get(CHANGELIST, {"o": order})
    assert response.status_code == 200
    assert not [field for field in ordered_by(response) if any(name in field for name in HIDDEN_COLUMNS)]


def test_moderator_sees_the_addresses_in_the_author_column_sorted_by_name(client, secret_comment):
    # The counterpart of the test above: as in WordPress, the address sits under the name, which sorts.
    client.force_login(member("Moderator", "mod"))
    response = client.get(CHANGELIST, {"o": "1"})
    assert any("author_name" in field for field in ordered_by(response))
    assert secret_comment.author_email in response.content.decode()


DATE_PARAMETERS = [
    {"created_at__year": "abc"},
    {"created_at__year": "0"},
    {"created_at__year": "-1"},
    {"created_at__year": "1"},
    {"created_at__year": "9999"},
    {"created_at__year": "9999", "created_at__month": "12"},
    {"created_at__year": "9999", "created_at__month": "12", "created_at__day": "31"},
    {"created_at__year": "99999999999999999999999"},
    {"created_at__year": "2024", "created_at__month": "13"},
    {"created_at__year": "2024", "created_at__month": "2", "created_at__day": "30"},
    {"created_at__year": "2024", "created_at__month": "x"},
    {"created_at__year": "2024", "created_at__day": "99999999999999999999"},
    {"created_at__year": "１２３"},
    {"created_at__month": "abc"},
    {"created_at__day": "-5"},
    {"created_at__gte": "not a date"},
    {"created_at__lt": "99999-01-01"},
    {"created_at__year__gt": "abc"},
]


@pytest.mark.parametrize("params", DATE_PARAMETERS, ids=lambda params: "&".join(f"{k}={v}" for k, v in params.items()))
@pytest.mark.parametrize("role", ["Author", "Moderator"])
def test_hostile_date_hierarchy_parameters_never_fail(client, secret_comment, params, role):
    client.force_login(secret_comment.post.author if role == "Author" else member(role, "mod"))
    response = client.get(CHANGELIST, params)
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:
        assert response["Location"].endswith("?e=1")


# Follow-up subscriptions: addresses and nothing else, for those who see commenters' addresses


@pytest.fixture
def subscription(author):
    return Subscription.objects.create(post=PostFactory(author=author), email="fan@example.com", name="Fan")


def test_author_given_the_subscription_permission_still_sees_no_subscriber_address(client, author, subscription):
    author.user_permissions.add(*Permission.objects.filter(codename__in=["view_subscription", "delete_subscription"]))
    client.force_login(author)
    for url, params in [
        (SUBSCRIPTIONS, {}),
        (SUBSCRIPTIONS, {"q": "fan"}),
        (SUBSCRIPTIONS, {"email__startswith": "fan"}),
        (SUBSCRIPTIONS, {"email__regex": "^f"}),
        (f"{SUBSCRIPTIONS}{subscription.pk}/change/", {}),
        (f"{SUBSCRIPTIONS}{subscription.pk}/delete/", {}),
    ]:
        response = client.get(url, params)
        assert response.status_code in (400, 403), (url, params)
        assert "fan@example.com" not in response.content.decode()
    assert "subscription" not in client.get("/admin/").content.decode().lower()


@pytest.mark.parametrize("role", ["Moderator", "Editor"])
def test_moderators_and_editors_search_and_filter_subscribers(client, subscription, role):
    client.force_login(member(role, role.lower()))
    for params in ({"q": "fan@"}, {"email__startswith": "fan"}):
        response = client.get(SUBSCRIPTIONS, params)
        assert response.status_code == 200
        assert [row.email for row in response.context["cl"].result_list] == ["fan@example.com"]


def test_author_role_has_no_subscription_admin(client, author, subscription):
    client.force_login(author)
    assert client.get(SUBSCRIPTIONS).status_code == 403
    assert client.get(SUBSCRIPTIONS, {"email__startswith": "fan"}).status_code == 403


# Who skips the comment rules: the post's own author and those who moderate every comment

URL = "/comments/post/"
FIRST_COMMENT = "First comment from this author: waiting for a first approval."
ACCOUNT_EMAIL = "Uses the email address of a registered account: please check it is really them."


def logged_in_data(comment_data, post, **overrides):
    data = comment_data(post, **overrides)
    for key in ("name", "email", "url"):
        data.pop(key)
    return data


def test_author_cannot_comment_on_another_authors_closed_post(client, comment_data, author):
    post = PostFactory(comments_open=False)
    client.force_login(author)
    response = client.post(URL, logged_in_data(comment_data, post, body="Let me in"))
    assertContains(response, "Sorry, comments are closed for this item.", status_code=400)
    assertContains(response, "Let me in", status_code=400)
    assert not Comment.objects.exists()


def test_author_on_another_authors_open_post_is_held_and_flood_checked(client, comment_data, author):
    post = PostFactory()
    client.force_login(author)
    assert client.post(URL, logged_in_data(comment_data, post, body="First words")).status_code == 303
    comment = Comment.objects.get()
    assert (comment.status, comment.moderation_reason, comment.user) == ("pending", FIRST_COMMENT, author)
    response = client.post(URL, logged_in_data(comment_data, post, body="Second words"), REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert Comment.objects.count() == 1


def test_author_comments_on_their_own_closed_post_at_once(client, comment_data, author):
    post = PostFactory(author=author, comments_open=False)
    client.force_login(author)
    for body in ("One", "Two"):
        assert client.post(URL, logged_in_data(comment_data, post, body=body)).status_code == 303
    assert list(Comment.objects.values_list("status", flat=True)) == ["approved", "approved"]


@pytest.mark.parametrize("role", ["Moderator", "Editor"])
def test_moderators_and_editors_are_trusted_on_every_post(client, comment_data, role):
    post = PostFactory(comments_open=False)
    client.force_login(member(role, role.lower()))
    for body in ("One", "Two"):
        assert client.post(URL, logged_in_data(comment_data, post, body=body)).status_code == 303
    assert list(Comment.objects.values_list("status", flat=True)) == ["approved", "approved"]


def test_trust_needs_an_active_account_that_wrote_the_post_or_moderates_everything():
    writer = member("Author", "writer")
    post = PostFactory(author=writer)
    moderator = member("Moderator", "mod")
    assert is_trusted_commenter(writer, post)
    assert is_trusted_commenter(moderator, post)
    assert not is_trusted_commenter(member("Author", "other-writer"), post)
    assert not is_trusted_commenter(UserFactory(), post)
    assert not is_trusted_commenter(AnonymousUser(), post)
    assert not is_trusted_commenter(None, post)
    moderator.is_active = writer.is_active = False
    assert not is_trusted_commenter(moderator, post)
    assert not is_trusted_commenter(writer, post)


# A stranger typing an account's name and email


@pytest.fixture
def blog_author():
    """An account whose logged-in comments are approved (as its own post's author)."""
    user = UserFactory(username="blogauthor", first_name="Blog", last_name="Author", email="author@example.com")
    CommentFactory(user=user, author_name="Blog Author", author_email="author@example.com")
    return user


@pytest.mark.parametrize("email", ["author@example.com", "AUTHOR@EXAMPLE.COM", "Author@Example.com"])
def test_stranger_using_an_accounts_name_and_email_is_held(client, comment_data, blog_author, email):
    post = PostFactory()
    response = client.post(URL, comment_data(post, name="Blog Author", email=email, body="It is me, honest"))
    assert response.status_code == 303
    comment = Comment.objects.get(body__contains="It is me")
    assert (comment.status, comment.moderation_reason, comment.user) == ("pending", ACCOUNT_EMAIL, None)
    client.force_login(member("Moderator", "mod"))
    assertContains(client.get(CHANGELIST, {"status": "pending"}), ACCOUNT_EMAIL)


def test_account_email_is_held_even_with_every_hold_rule_off(client, comment_data, blog_author, discussion):
    discussion.comment_moderation = discussion.comment_previously_approved = False
    discussion.save()
    post = PostFactory()
    client.post(URL, comment_data(post, name="Someone", email="AUTHOR@example.com", body="Hello"))
    assert Comment.objects.get(body__contains="Hello").moderation_reason == ACCOUNT_EMAIL
    # Any other visitor still goes straight through with these settings.
    client.post(URL, comment_data(post, body="Plain visitor"), REMOTE_ADDR="198.51.100.9")
    assert Comment.objects.get(body__contains="Plain visitor").status == "approved"


def test_disallowed_key_still_trashes_a_stranger_using_an_account_email(client, comment_data, blog_author, discussion):
    discussion.disallowed_keys = "viagra"
    discussion.save()
    client.post(URL, comment_data(PostFactory(), name="Blog Author", email="author@example.com", body="viagra"))
    assert Comment.objects.get(body__contains="viagra").status == "trash"


def test_comments_written_logged_in_never_vouch_for_a_visitor(client, comment_data, blog_author):
    # The account moved to another address: its old one is free, but its approved comments prove nothing.
    blog_author.email = "new-address@example.com"
    blog_author.save()
    client.post(URL, comment_data(PostFactory(), name="Blog Author", email="author@example.com", body="Old me"))
    comment = Comment.objects.get(body__contains="Old me")
    assert (comment.status, comment.moderation_reason) == ("pending", FIRST_COMMENT)


def test_a_visitors_own_approved_comment_still_vouches_for_them(client, comment_data):
    CommentFactory(author_name="Riley Reader", author_email="riley@example.com")
    client.post(URL, comment_data(PostFactory(), email="RILEY@example.com", body="Back again"))
    assert Comment.objects.get(body__contains="Back again").status == "approved"
