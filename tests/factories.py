import datetime
import io
import time

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from blog.antispam import form_timestamp
from blog.models import Category, Image, Post, Tag
from comments.models import Comment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Ada"
    last_name = factory.Sequence(lambda n: f"Writer{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


def image_bytes(width=20, height=10, image_format="PNG", color="#8a3b12", **options):
    """A picture of one colour, encoded in ``image_format`` (``options`` go to Pillow's save: exif…)."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, image_format, **options)
    return buffer.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    """A library image uploaded as a PNG of ``size`` (renditions made as on a real upload)."""

    class Meta:
        model = Image

    class Params:
        size = (20, 10)
        image_format = "PNG"

    file = factory.LazyAttribute(
        lambda o: SimpleUploadedFile(
            f"picture.{o.image_format.lower()}",
            image_bytes(*o.size, o.image_format),
            f"image/{o.image_format.lower()}",
        )
    )
    alt = factory.Sequence(lambda n: f"A warm picture {n}")
    uploaded_by = factory.SubFactory(UserFactory)


class PostFactory(factory.django.DjangoModelFactory):
    """A published post from yesterday, in one category."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Post number {n}")
    slug = factory.Sequence(lambda n: f"post-number-{n}")
    author = factory.SubFactory(UserFactory)
    body = "<p>Some words about staying close.</p><h2>A heading</h2><p>More words.</p>"
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if not create:
            return
        self.categories.set(extracted if extracted is not None else [CategoryFactory()])

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class CommentFactory(factory.django.DjangoModelFactory):
    """An approved top-level comment by a reader; pass ``parent`` for a reply."""

    class Meta:
        model = Comment

    post = factory.LazyAttribute(lambda c: c.parent.post if c.parent else PostFactory())
    parent = None
    author_name = factory.Sequence(lambda n: f"Reader {n}")
    author_email = factory.Sequence(lambda n: f"reader{n}@example.com")
    body = factory.Sequence(lambda n: f"<p>Thoughtful comment number {n}.</p>")
    status = Comment.Status.APPROVED
    ip_address = "192.0.2.10"
    created_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        comment = super()._create(model_class, *args, **kwargs)
        comment.place_in_thread()
        return comment


def old_timestamp(post_id, seconds_ago=60):
    """A form time stamp issued a while ago, so the post is not 'faster than a person'."""
    return form_timestamp(post_id, now=time.time() - seconds_ago)


def staff_in(role, username):
    """A staff user in one of the roles' groups (Editor, Author, Contributor, Moderator)."""
    from django.contrib.auth.models import Group

    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def login(client, role):
    """Log ``client`` in as a new user of ``role`` (also at ``client.user``)."""
    user = staff_in(role, role.lower())
    client.force_login(user)
    client.user = user
    return client
