"""Threaded comments on posts: models arrive with the comments issue."""
