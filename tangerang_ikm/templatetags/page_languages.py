"""This page in each language, worked out once per request from the request's own match.

`django.urls.translate_url` resolves the path again on every call: the URL resolver
walks every pattern of the site, and a page asked for it four to six times (canonical
and hreflang links, the language switcher, Open Graph). The request already carries its
match (`request.resolver_match`), so each language's path here is one `reverse()`, and
it is kept on the request for the other tags of the same page.

The results are translate_url's: the same view reversed with the language switched,
the path itself when it cannot be (a 404 page has no match; a pattern without a name).
"""

from django import template
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import override

register = template.Library()


def language_path(request, language):
    """This request's path (without its query) in `language`; None when it has none
    (no match, or a match that does not reverse), where translate_url keeps the URL."""
    paths = request.__dict__.setdefault("_language_paths", {})
    if language not in paths:
        paths[language] = _reverse_in(request, language)
    return paths[language]


def _reverse_in(request, language):
    match = request.resolver_match
    if match is None or match.url_name is None:
        return None
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with override(language):
        try:
            return reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return None


@register.simple_tag(takes_context=True)
def page_url_in(context, language):
    """This page's absolute URL in `language`, without the query (hreflang, og:url)."""
    request = context["request"]
    path = language_path(request, language)
    if path is None:
        return translate_url(request.build_absolute_uri(request.path), language)
    return request.build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def page_path_in(context, language):
    """This page's path with its query in `language` (the language switcher's links)."""
    request = context.get("request")
    if request is None:
        return "/" if language == "id" else f"/{language}/"
    path = language_path(request, language)
    if path is None:
        return translate_url(request.get_full_path(), language)
    if not request.META.get("QUERY_STRING"):
        return path
    # The query as get_full_path() writes it: translate_url keeps it as given.
    return f"{path}?{request.get_full_path().partition('?')[2]}"
