from django import template

from blog.share import SHARE_URLS
from blog.structured_data import absolute

register = template.Library()


@register.inclusion_tag("blog/includes/share_bar.html")
def share_bar(post):
    """The "Share this:" buttons: counting redirects to each network, email, copy link, Web Share."""
    networks = [
        {
            "value": network.value,
            "label": network.label,
            "url": post.share_url(network.value),
            "icon": f"blog/icons/{network.value}.svg",
        }
        for network in SHARE_URLS
    ]
    return {"post": post, "networks": networks, "permalink": absolute(post.get_absolute_url())}
