"""The Wagtail admin asks the same questions as the rest of the site: documents and images
through collection permissions, pages through page permissions."""

from django.db.models import Q
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

USE_ACTIONS = ["choose", "add", "change", "delete"]


def _usable(queryset, model, user):
    """Only the files ``user`` may choose, add, change or delete: their role's collections
    (the same policy as Wagtail's listings and choosers)."""
    policy = policy_registry.get_by_type(model)
    usable = policy.instances_user_has_any_permission_for(user, USE_ACTIONS)
    return queryset.filter(pk__in=usable.values("pk"))


class ScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return _usable(super().get_queryset(), get_document_model(), self.request.user)


class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return _usable(super().get_queryset(), get_image_model(), self.request.user)


@hooks.register("construct_admin_api", order=100)
def scope_admin_api_files(router):
    """Replace Wagtail's admin API endpoints for documents and images, which list every file
    to anyone with admin access (registered after Wagtail's own, so these win)."""
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)


@hooks.register("construct_page_chooser_queryset")
def hide_drafts_from_who_cannot_edit(pages, request):
    """The page chooser (browse and search) shows live pages, and drafts only to their
    editors."""
    user = request.user
    if user.is_superuser:
        return pages
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return pages.filter(Q(live=True) | Q(pk__in=editable.values("pk")))


@hooks.register("before_serve_page")
def keep_rendered_page(page, request, serve_args, serve_kwargs):
    """Pages of the types in ``RENFORT_PAGE_CACHE_PAGE_TYPES`` may be kept whole in the shared
    cache for this session (``renfort.response_cache``): only a 200 answer is kept, so a page
    that turns the reader away is never stored."""
    from django.conf import settings

    from renfort.response_cache import mark_cacheable

    if page.specific_class._meta.label in settings.RENFORT_PAGE_CACHE_PAGE_TYPES:
        mark_cacheable(request)
