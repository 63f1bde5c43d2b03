from django.urls import path, re_path
from django.views.generic import RedirectView

from blog import converters, feeds, preview, views  # noqa: F401 (converters registers yyyy, mm and uslug)

app_name = "blog"
urlpatterns = [
    path("", views.PostListView.as_view(), name="post_list"),
    # A post, and what hangs off its permalink.
    path("<yyyy:year>/<mm:month>/<mm:day>/<uslug:slug>/", views.post_detail, name="post_detail"),
    path(
        "<yyyy:year>/<mm:month>/<mm:day>/<uslug:slug>/share/",
        views.share_by_email,
        name="share_by_email",
    ),
    path(
        "<yyyy:year>/<mm:month>/<mm:day>/<uslug:slug>/share/<str:network>/",
        views.share_network,
        name="share_network",
    ),
    # Feeds of the latest posts.
    path("feed/", feeds.PostsFeed(), name="feed"),
    path("feed/atom/", feeds.PostsAtomFeed(), name="feed_atom"),
    # WordPress's other names for the same feed.
    re_path(r"^feed/(?:rss2|rss|rdf)/$", RedirectView.as_view(pattern_name="blog:feed", permanent=True)),
    path("search/", views.SearchView.as_view(), name="search"),
    # A signed, expiring link to an unpublished post, for a reviewer without an account.
    path("preview/<str:token>/", preview.shared_preview, name="shared_preview"),
    # Date archives.
    path("<yyyy:year>/", views.YearArchiveView.as_view(), name="year_archive"),
    path("<yyyy:year>/<mm:month>/", views.MonthArchiveView.as_view(), name="month_archive"),
    path("<yyyy:year>/<mm:month>/<mm:day>/", views.DayArchiveView.as_view(), name="day_archive"),
    # Taxonomy and author archives, each category's and tag's feed first.
    path("category/<uslug:slug>/feed/", feeds.CategoryPostsFeed(), name="category_feed"),
    path("tag/<uslug:slug>/feed/", feeds.TagPostsFeed(), name="tag_feed"),
    path("category/<uslug:slug>/", views.CategoryArchiveView.as_view(), name="category"),
    path("tag/<uslug:slug>/", views.TagArchiveView.as_view(), name="tag"),
    path("author/<str:username>/", views.AuthorArchiveView.as_view(), name="author"),
    # Static pages come last: they take any remaining path.
    path("<path:path>/", views.page_detail, name="page"),
]
