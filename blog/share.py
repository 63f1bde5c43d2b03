"""Share links for each network: plain URLs, no script, no tracker."""

from urllib.parse import urlencode

from blog.models import Share

Network = Share.Network

# Each network's own "share this" address, filled with the canonical URL and the title.
SHARE_URLS = {
    Network.X: lambda url, title: "https://x.com/intent/post?" + urlencode({"url": url, "text": title}),
    Network.FACEBOOK: lambda url, title: "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
    Network.LINKEDIN: lambda url, title: "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
    Network.REDDIT: lambda url, title: "https://www.reddit.com/submit?" + urlencode({"url": url, "title": title}),
    Network.BLUESKY: lambda url, title: "https://bsky.app/intent/compose?" + urlencode({"text": f"{title} {url}"}),
    Network.WHATSAPP: lambda url, title: "https://wa.me/?" + urlencode({"text": f"{title} {url}"}),
    Network.TELEGRAM: lambda url, title: "https://t.me/share/url?" + urlencode({"url": url, "text": title}),
}


def network_share_url(network, *, url, title):
    """The network's share address for a page (KeyError for an unknown network)."""
    return SHARE_URLS[network](url, title)
