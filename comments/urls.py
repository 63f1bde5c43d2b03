from django.urls import path

from comments import views

app_name = "comments"
urlpatterns = [
    path("post/", views.comment_post, name="post"),
]
