from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from renfort import views
from renfort.accounts import doors

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # One way to sign in: Wagtail's own login and password views answer with allauth's, so no
    # sign-in skips e-mail verification, rate limits or the second factor (wagtail#10882).
    *doors.admin_side_doors,
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static_url("favicon.svg"))),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", views.set_language, name="set_language"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("comptes/", include("allauth.urls")),
    path("mon-espace/", views.dashboard, name="dashboard"),
    *doors.frontend_side_doors,
    path("", include("associations.urls")),
    path("diagnostics/", include("assessments.urls")),
    path("tests/", include("assessments.quiz_urls")),
    path("evaluations/", include("assessments.survey_urls")),
    path("cours/", include("courses.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
