"""The demo site as ``manage.py seed_demo`` loads it (the ``demo`` fixture): its article's address and headings."""

ARTICLE = "/2017/03/06/dos-and-donts-when-your-partner-withdraws/"
# The article's section titles, each an <h2>.
HEADINGS = [
    "Don’t take it personally.",
    "Don’t smother.",
    "Don’t withdraw.",
    "Don’t obsess.",
    "Don’t enable.",
    "Do set boundaries.",
    "Do take care of yourself.",
    "Do seek an explanation.",
    "Do be introspective.",
    "Do offer support.",
]
