from django import template
from django.urls import reverse

from associations.scope import grants_for, is_coordinator
from associations.sheets.exports import may_export

register = template.Library()

KEPT_FILTERS = ("territory", "q")


@register.inclusion_tag("associations/includes/export_links.html", takes_context=True)
def export_links(context, url_name, *args, label=""):
    """ "Export: XLSX · CSV" links to ``url_name`` for those who may export, keeping the list's
    filters (territory, search) so the file holds what the page lists."""
    request = context["request"]
    if not may_export(request.user):
        return {"links": [], "label": label}
    query = request.GET.copy()
    for key in list(query):
        if key not in KEPT_FILTERS:
            del query[key]
    suffix = f"?{query.urlencode()}" if query else ""
    return {
        "label": label,
        "links": [
            (fmt.upper(), reverse(url_name, args=[*args, fmt]) + suffix) for fmt in ("xlsx", "csv")
        ],
    }


@register.filter
def may_import(user):
    """Coordinators and administrators import registries; trainers import the attendance of
    their sessions from the roll-call page."""
    return is_coordinator(user) or grants_for(user).everything
