from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from blog import converters  # noqa: F401 (registers yyyy, mm and uslug)
from blog import sitemaps as blog_sitemaps
from comments import feeds as comment_feeds
from config import login_throttle, views

urlpatterns = [
    # Before the admin's own: its login, refusing guesses after too many failures.
    path("admin/login/", login_throttle.admin_login),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Crawlers: robots.txt, the sitemap index and its sections.
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", blog_sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", blog_sitemaps.section, name="sitemap_section"),
    # Comment feeds: the site's, and each post's at the post's permalink (before the blog's pages).
    path("comments/feed/", comment_feeds.CommentsFeed(), name="comments_feed"),
    path("comments/feed/atom/", comment_feeds.CommentsAtomFeed(), name="comments_feed_atom"),
    path(
        "<yyyy:year>/<mm:month>/<mm:day>/<uslug:slug>/feed/",
        comment_feeds.PostCommentsFeed(),
        name="post_comments_feed",
    ),
    path(
        "<yyyy:year>/<mm:month>/<mm:day>/<uslug:slug>/feed/atom/",
        comment_feeds.PostCommentsAtomFeed(),
        name="post_comments_feed_atom",
    ),
    path("comments/", include("comments.urls")),
    # The blog comes last: its static pages take any remaining slug.
    path("", include("blog.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
