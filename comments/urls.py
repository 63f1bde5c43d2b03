from django.urls import path

from comments import notification_views, views

app_name = "comments"
urlpatterns = [
    path("post/", views.comment_post, name="post"),
    # Links in emails (comments.links signs them).
    path("moderate/done/<int:pk>/", notification_views.moderate_done, name="moderate_done"),
    path("moderate/<str:token>/", notification_views.moderate, name="moderate"),
    path("subscriptions/confirm/<str:token>/", notification_views.subscription_confirm, name="subscription_confirm"),
    path("unsubscribe/<str:token>/", notification_views.unsubscribe, name="unsubscribe"),
]
