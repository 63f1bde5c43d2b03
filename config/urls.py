from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from blog import feeds as blog_feeds
from blog import sitemaps as blog_sitemaps
from blog import views as blog_views
from config import login_throttle

urlpatterns = [
    # Before the admin's own: its login, refusing guesses after too many failures.
    path("admin/login/", login_throttle.admin_login),
    path("admin/", admin.site.urls),
    path("healthz", blog_views.healthz, name="healthz"),
    path("favicon.ico", blog_views.favicon, name="favicon"),
    # Crawlers: robots.txt, the sitemap index and its sections.
    path("robots.txt", blog_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", blog_sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", blog_sitemaps.section, name="sitemap_section"),
    path("comments/feed/", blog_feeds.CommentsFeed(), name="comments_feed"),
    path("comments/", include("comments.urls")),
    # The blog comes last: its static pages take any remaining slug.
    path("", include("blog.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "blog.views.bad_request"
handler403 = "blog.views.permission_denied"
handler404 = "blog.views.page_not_found"
handler500 = "blog.views.server_error"
