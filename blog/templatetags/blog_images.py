from django import template

from blog.images import DEFAULT_SIZES, IMAGE_TEMPLATE, image_context

register = template.Library()


@register.inclusion_tag(IMAGE_TEMPLATE)
def responsive_image(image, sizes=DEFAULT_SIZES, loading="lazy", fetchpriority="", css_class=""):
    """A library image as <picture>: WebP and original-format srcsets, stored width and height, its alt.

    ``{% responsive_image post.featured_image loading="eager" fetchpriority="high" %}``
    """
    if image is None:
        return {"image": None}
    return image_context(image, sizes=sizes, loading=loading, fetchpriority=fetchpriority, **{"class": css_class})
