"""Reader-side views of courses that are not Wagtail pages: search across lessons."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from wagtail.models import Locale

from courses.models import LessonPage
from courses.selectors import readable_programmes

MAX_QUERY_LENGTH = 100


def search(request):
    """Published lessons, in the current language, of the programmes the reader may see."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = None
    if query:
        programmes = readable_programmes(request.user)
        paths = Q()
        for programme in programmes:
            paths |= Q(path__startswith=programme.path)
        if programmes:
            ids = list(
                LessonPage.objects.live()
                .filter(paths, locale=Locale.get_active())
                .values_list("pk", flat=True)
            )
            found = LessonPage.objects.live().filter(pk__in=ids).search(query)
            results = Paginator(found, 20).get_page(request.GET.get("page"))
        else:
            results = Paginator([], 20).get_page(1)
    return render(request, "courses/search.html", {"query": query, "results": results})
