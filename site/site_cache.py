"""Wagtail looks up the site of every page request in the database (``Site.find_for_request``:
one query with a ``CASE`` annotation, a fifth of a lesson page's server time). Sites change
about never: the answer per host name and port is kept in the shared cache, dropped whenever a
site, or a page that is the root of one, is saved or deleted.

Only requests routed to Wagtail's ``serve`` view use it (other views never look the site up,
and the bare view stays bare). The cached object is unpickled afresh per request, so nothing
one request sets on it reaches another."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

CACHE_KEY = "renfort:wagtail-sites"
TIMEOUT = 60 * 60
MAX_HOSTS = 20  # host names are checked against ALLOWED_HOSTS by then; a bound all the same
_NONE = "none"


def site_for_request(request):
    """What ``Site.find_for_request`` answers for ``request``, from the cache when it can."""
    key = (split_domain_port(request._get_raw_host())[0], request.get_port())
    sites = cache.get(CACHE_KEY) or {}
    if key in sites:
        site = sites[key]
        return None if site == _NONE else site
    site = Site._find_for_request(request)
    if site is not None:
        # Routing reads ``site.root_page.specific`` on every request: kept with the site (a
        # save of the root page drops the cache, below).
        site.root_page.specific  # noqa: B018
    if len(sites) < MAX_HOSTS:
        cache.set(CACHE_KEY, {**sites, key: _NONE if site is None else site}, TIMEOUT)
    return site


class SiteCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_views.serve and not hasattr(request, "_wagtail_site"):
            request._wagtail_site = site_for_request(request)


def forget_sites(**kwargs):
    cache.delete(CACHE_KEY)


def forget_sites_if_root(instance, **kwargs):
    if isinstance(instance, Page) and Site.objects.filter(root_page_id=instance.pk).exists():
        cache.delete(CACHE_KEY)


def connect():
    post_save.connect(forget_sites, sender=Site, dispatch_uid="renfort_site_cache_save")
    post_delete.connect(forget_sites, sender=Site, dispatch_uid="renfort_site_cache_delete")
    # Any page model: post_save is sent with the concrete class, not Page. (Deleting a root page
    # deletes its site, whose post_delete is above.)
    post_save.connect(forget_sites_if_root, dispatch_uid="renfort_site_cache_page_save")
