"""Query budgets the page tests share."""

# Queries the navigation adds when its cache is cold: the page menu, five sidebar
# lists and the next scheduled post; a post's neighbours add older, newer, related.
NAVIGATION_QUERIES = 7
NEIGHBOUR_QUERIES = 3
