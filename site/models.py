from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PageViewRestriction


class HomePage(Page):
    """The public front page: what the platform is for, and the way in."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = RichTextField(
        _("body"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_view_restrictions(self):
        from courses.selectors import any_view_restrictions

        if not any_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def route(self, request, path_components):
        """What ``Page.route`` answers, in one query for the whole chain of pages below this one
        (by ``url_path``) instead of two per level (the child by slug, then its specific
        object), then one for the specific page served. Each page found must be the child of
        the previous one with the requested slug; where one is missing, or its type routes on
        its own (``route`` overridden), the generic walk takes over from there, so 404s and
        custom routes answer as before."""
        if not path_components:
            return super().route(request, path_components)
        from courses.page_cache import cached_route

        return cached_route(self, path_components, lambda: self._route(request, path_components))

    def _route(self, request, path_components):
        prefixes = [
            self.url_path + "".join(f"{slug}/" for slug in path_components[: n + 1])
            for n in range(len(path_components))
        ]
        chain = {
            page.url_path: page
            for page in Page.objects.filter(
                path__startswith=self.path,
                depth__gt=self.depth,
                depth__lte=self.depth + len(path_components),
                url_path__in=prefixes,
            )
        }
        parent = self
        for index, slug in enumerate(path_components):
            page = chain.get(prefixes[index])
            if (
                page is None
                or page.slug != slug
                or page.depth != parent.depth + 1
                or not page.path.startswith(parent.path)
            ):
                return Page.route(parent, request, path_components[index:])
            page._cached_parent_obj = parent
            remaining = path_components[index + 1 :]
            specific_class = page.specific_class
            if not remaining or specific_class is None or specific_class.route is not Page.route:
                return page.specific.route(request, remaining)
            parent = page
