import pytest
from django.core.exceptions import ValidationError

from blog import services
from blog.models import Category, Post
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_post_create_validates_and_files_the_post():
    author = UserFactory()
    category = CategoryFactory()
    tag = services.tag_get_or_create(name="Self-care")

    post = services.post_create(
        author=author, title="Hello there", body="<p>Hi</p>", categories=[category], tags=[tag]
    )

    assert post.slug == "hello-there"
    assert post.status == Post.Status.DRAFT
    assert list(post.categories.all()) == [category]
    assert list(post.tags.all()) == [tag]


def test_post_create_without_category_uses_uncategorized():
    post = services.post_create(author=UserFactory(), title="Alone", body="<p>Hi</p>", categories=[])
    assert [c.name for c in post.categories.all()] == ["Uncategorized"]


def test_post_create_refuses_a_duplicate_slug_and_leaves_nothing_behind():
    author = UserFactory()
    services.post_create(author=author, title="Twice", body="<p>1</p>", categories=[])
    with pytest.raises(ValidationError):
        services.post_create(author=author, title="Twice", body="<p>2</p>", categories=[])
    assert Post.objects.count() == 1


def test_category_cannot_be_its_own_ancestor():
    parent = services.category_get_or_create(name="Parent")
    child = services.category_get_or_create(name="Child", parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError):
        parent.full_clean()
    assert Category.objects.get(pk=parent.pk).parent is None
