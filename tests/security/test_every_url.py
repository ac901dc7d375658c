"""Every URL pattern of the project, walked through Django's resolver (not a hand list), under
every language prefix, as anonymous, participant, focal point, trainer and coordinator: none
answers 200 unless its name is on the role's allow-list below.

A view added later without a permission check answers 200 to someone it should not, and this
test names it. To add a view on purpose, add its URL name to the roles that may open it. A new
regex pattern (``re_path``) needs a sample value in ``REGEX_SAMPLES``; a new path converter
argument name may need one in ``ARGUMENT_SAMPLES``.
"""

import re
import time
from datetime import date

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from wagtail.documents.models import Document
from wagtail.models import Collection, Site

from assessments.models import Questionnaire
from assessments.survey_services import survey_open
from associations.services import training_collection_ensure
from courses.models import ProgrammePage
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    coordinator_of,
    focal_point_of,
    participant,
    trainer,
)

pytestmark = pytest.mark.django_db

# What anyone may open: public pages, sign-in and password-reset pages (allauth answers 200 with
# a "bad link" page for a made-up key), the closed sign-up page, public documents, and Wagtail's
# icon sprite and JavaScript translations (static assets served by a view).
PUBLIC = {
    "healthz",
    "wagtail_serve",
    "wagtaildocs_serve",
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "wagtaildocs_authenticate_with_password",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    # Lesson search: only lessons the reader may read (tests/courses/test_search.py).
    "courses:search",
}
# Every signed-in user: their space, their account pages (e-mail, password, second factor).
SIGNED_IN = PUBLIC | {
    "dashboard",
    "account_logout",
    "account_email",
    "account_change_password",
    "account_reauthenticate",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_generate_recovery_codes",
    "associations:organisation_list",
    "associations:person_list",
    "associations:cohort_list",
    "assessments:diagnostic_list",
    # Knowledge tests: one's own tests only (tests/assessments/test_quizzes.py).
    "quizzes:my_tests",
    # Satisfaction surveys: a participant's open surveys, and the form of their own cohort's
    # survey (404 for anyone not enrolled: tests/assessments/test_surveys.py).
    "surveys:mine",
    "surveys:answer",
}
# Trainers and coordinators enter the Wagtail admin (access_admin): its dashboard, their account,
# search, choosers and listings that Wagtail filters by permission (documents and images by
# collection, see test_files_and_choosers.py; pages by page permission).
ADMIN_USER = SIGNED_IN | {
    "wagtailadmin_home",
    "wagtailadmin_account",
    "wagtailadmin_dismissibles",
    "wagtailadmin_api:pages:listing",
    "wagtailadmin_api:documents:listing",
    "wagtailadmin_api:documents:detail",
    "wagtailadmin_api:images:listing",
    "wagtailadmin_api:images:detail",
    "wagtailadmin_choose_page",
    "wagtailadmin_choose_page_child",
    "wagtailadmin_choose_page_search",
    "wagtailadmin_choose_page_chosen_multiple",
    "wagtailadmin_choose_page_anchor_link",
    "wagtailadmin_choose_page_email_link",
    "wagtailadmin_choose_page_external_link",
    "wagtailadmin_choose_page_phone_link",
    "wagtaildocs:index",
    "wagtaildocs:index_results",
    "wagtaildocs:add",
    "wagtaildocs:add_multiple",
    "wagtaildocs:edit",
    "wagtaildocs:delete",
    "wagtaildocs:document_usage",
    "wagtaildocs_chooser:choose",
    "wagtaildocs_chooser:choose_results",
    "wagtaildocs_chooser:chosen_multiple",
    "wagtaildocs_chooser:create",
    "wagtailimages:index",
    "wagtailimages:index_results",
    "wagtailimages:add",
    "wagtailimages:add_multiple",
    "wagtailimages_chooser:choose",
    "wagtailimages_chooser:choose_results",
    "wagtailimages_chooser:chosen_multiple",
    "wagtailimages_chooser:create",
    "wagtailembeds:chooser",
    "wagtailembeds:chooser_upload",
    # Trainers and coordinators write knowledge tests (assessments/migrations/0003).
    "wagtailsnippets_assessments_quiz:*",
}

# The registry in the Wagtail admin (associations/admin_views.py): every listing, chooser and form
# there narrows rows by the scope (tests/associations/test_admin_registry.py checks the rows);
# the walk only checks that no other role reaches them.
# Trainers write and coordinators publish every programme page (courses/migrations/0003): the
# page API's detail and the form-submissions listing follow those page permissions.
EDITORIAL = {
    "wagtailadmin_api:pages:detail",
    "wagtailforms:index",
    "wagtailforms:index_results",
}
COHORT_STAFF = EDITORIAL | {
    "associations:cohort_detail",
    "associations:roll_call",
    "associations:sign_in_sheet",
    "cohorts:index",
    "cohorts:index_results",
    "cohorts:inspect",
    "cohort_chooser:*",
    "sessions:*",
    # Knowledge tests of a cohort the user runs or coordinates (test_quizzes.py checks scope).
    "quizzes:cohort_results",
    "quizzes:paper_grid",
    "quizzes:paper_pdf",
    # The paper grid as a spreadsheet, and its import (test_quiz_sheets.py checks scope).
    "quizzes:paper_sheet",
    "quizzes:paper_import",
    # Survey results (groups of 5 or more only), paper entry, opening a survey, per programme.
    "surveys:results",
    "surveys:paper",
    "surveys:open",
    "surveys:programme",
}
REGISTRY = COHORT_STAFF | {
    "associations:cohort_enrol",
    "associations:enrolment_withdrawal",
    "associations:organisation_edit",
    "organisations:*",
    "organisation_chooser:*",
    "people:*",
    "person_chooser:*",
    "cohorts:*",
    "outside_facilitators:*",
    "territories:*",
    "domains:*",
    "associations_invite",
    # The enrolment picker's search (tests/associations/test_enrol_picker.py).
    "associations:cohort_enrol_search_person",
    "associations:cohort_enrol_search_organisation",
}

# Spreadsheets (associations/sheets/): list exports for every role that has a list of others to
# export (not participants); a cohort's class list, grid and attendance sheet for its staff; the
# import pages for trainers (attendance) and coordinators. A job's pages answer only its owner.
EXPORTERS = {
    "associations:organisation_export",
    "associations:person_export",
    "associations:cohort_export",
}
COHORT_SHEETS = {
    "associations:enrolment_export",
    "associations:attendance_export",
    "associations:attendance_sheet",
}
IMPORTERS = {
    "associations:import_start",
    "associations:import_job",
    "associations:import_status",
    "associations:import_rejected",
    "associations:import_template",
}

ALLOWED = {
    "anonymous": PUBLIC,
    "participant": SIGNED_IN
    | {"associations:person_detail"}
    # Their own attempts only (test_quizzes.py: another person's attempt is a 404).
    | {"quizzes:start", "quizzes:attempt"},
    "focal_point": SIGNED_IN
    | {
        "associations:organisation_detail",
        "associations:organisation_edit",
        "associations:person_detail",
        "assessments:organisation_page",
        "assessments:diagnostic_start",
    }
    | EXPORTERS,
    "trainer": ADMIN_USER
    | COHORT_STAFF
    | {"associations:organisation_detail", "associations:person_detail"}
    | EXPORTERS
    | COHORT_SHEETS
    | IMPORTERS,
    "coordinator": ADMIN_USER
    | {
        "associations:organisation_detail",
        "associations:person_detail",
        "assessments:organisation_page",
        "assessments:diagnostic_start",
        "assessments_frameworks",
        "survey_questionnaires:*",
    }
    | REGISTRY
    | EXPORTERS
    | COHORT_SHEETS
    | IMPORTERS,
}

# re_path patterns, by their regex: a URL fragment to request.
REGEX_SAMPLES = {
    r"^admin/password_reset/": "admin/password_reset/",
    r"^((?:[\w\-]+/)*)$": "",
    r"^.*/$": "nulle-part/",
    r"^(\d+)/(.*)$": "{document}",
    r"^confirm-email/(?P<key>[-:\w]+)/$": "confirm-email/abc/",
    r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": "password/reset/key/1-abc/",
    r"^(?P<pk>\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\d+)\.\.\."
    r"(?P<revision_id_b>live|latest|\d+)/$": "{int}/revisions/compare/earliest...live/",
    r"^pages/": "pages/",
    r"^documents/": "documents/",
    r"^images/": "images/",
}
# path converter arguments, by name: a sample value (ints not listed use each sample id).
ARGUMENT_SAMPLES = {
    "app_label": "courses",
    "app_name": "courses",
    "content_type_app_name": "courses",
    "model_name": "programmepage",
    "content_type_model_name": "programmepage",
    "action": "delete",
    "action_name": "approve",
    "filter_spec": "original",
    "object_id": "1",
    "uidb64": "MQ",
    "token": "abc-def",
    "fmt": "xlsx",
    "kind": "organisations",
}
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _fragments(pattern):
    """The URL fragment(s) for one pattern level, with ``{int}`` where a sample id goes."""
    if isinstance(pattern, LocalePrefixPattern):
        return [""] + [f"{code}/" for code, _ in settings.LANGUAGES if code != "fr"]
    if isinstance(pattern, RegexPattern):
        regex = pattern._regex
        assert regex in REGEX_SAMPLES, f"no sample for the regex pattern {regex!r}"
        return [REGEX_SAMPLES[regex]]
    assert isinstance(pattern, RoutePattern), pattern

    def fill(match):
        name, converter = match["name"], match["converter"] or "str"
        if name in ARGUMENT_SAMPLES:
            return ARGUMENT_SAMPLES[name]
        return "{int}" if converter == "int" else "x"

    return [CONVERTER.sub(fill, str(pattern))]


def every_url(patterns=None, prefix="", namespace=""):
    """(URL with placeholders, full URL name) for every pattern of the project."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        for fragment in _fragments(pattern.pattern):
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from every_url(pattern.url_patterns, prefix + fragment, inner)
            else:
                yield "/" + prefix + fragment, namespace + (pattern.name or "<unnamed>")


@pytest.fixture
def sample_rows(world):
    """Rows whose ids fill the ``{int}`` slots: a page, a draft, documents, a cohort..."""
    home = Site.objects.get(is_default_site=True).root_page
    draft = home.add_child(instance=ProgrammePage(title="Brouillon", slug="brouillon", live=False))
    public_doc = Document.objects.create(
        title="Public",
        collection=Collection.get_first_root_node(),
        file=ContentFile(b"%PDF public", name="public.pdf"),
    )
    training_doc = Document.objects.create(
        title="Formation",
        collection=training_collection_ensure(),
        file=ContentFile(b"%PDF formation", name="formation.pdf"),
    )
    cohort = CohortFactory(territory=world["mono"])
    enrolment = EnrolmentFactory(cohort=cohort, person__organisation=world["org_aplahoue"])
    survey = survey_open(
        cohort=cohort,
        questionnaire=Questionnaire.objects.get(is_default=True),
        occasion="workshop",
        opens_on=date.today(),
        closes_on=date.today(),
    )
    pages = [home.pk, draft.pk]
    documents = [public_doc.pk, training_doc.pk]
    organisations = [world["org_lokossa"].pk, world["org_moulay"].pk, world["org_aplahoue"].pk]
    people = [enrolment.person.pk]
    ids_by_prefix = {
        "/admin/pages/": pages,
        "/admin/choose-page/": pages,
        "/admin/api/main/pages/": pages,
        "/admin/documents/": documents,
        "/admin/api/main/documents/": documents,
        "/organisations/": organisations,
        "/personnes/": people,
        "/evaluations/cohortes/": [cohort.pk],
        "/evaluations/": [survey.pk],
    }
    everything = sorted({*pages, *documents, *organisations, *people, cohort.pk})
    return {
        "ids_by_prefix": ids_by_prefix,
        "ids": everything,
        "document": training_doc,
        "cohort": cohort,
    }


def users(world, rows):
    person = rows["cohort"].enrolments.get().person
    teacher = trainer()
    rows["cohort"].facilitators.add(teacher)
    return {
        "anonymous": None,
        "participant": participant(person),
        "focal_point": focal_point_of(world["org_lokossa"]),
        "trainer": teacher,
        "coordinator": coordinator_of(world["mono"]),
    }


def concrete(url, rows):
    """The URLs to request for one pattern: each ``{int}`` filled with the ids of the rows the
    view is about (pages under /admin/pages/, documents under /admin/documents/...), or with
    every sample id where the path does not say."""
    doc = rows["document"]
    url = url.replace("{document}", f"{doc.pk}/{doc.filename}")
    if "{int}" not in url:
        return [url]
    unprefixed = re.sub(r"^/(en|ar)/", "/", url)
    ids = next(
        (ids for prefix, ids in rows["ids_by_prefix"].items() if unprefixed.startswith(prefix)),
        rows["ids"],
    )
    return [url.replace("{int}", str(value)) for value in ids]


def test_no_url_answers_200_to_a_role_with_no_business_there(world, sample_rows):
    started = time.monotonic()
    requests = 0
    patterns = sorted(set(every_url()))
    assert len(patterns) > 250  # the admin, allauth, the site, in three languages
    leaks = []
    for role, user in users(world, sample_rows).items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        allowed = ALLOWED[role]
        for template, name in patterns:
            if name in allowed or f"{name.rpartition(':')[0]}:*" in allowed:
                continue
            for url in concrete(template, sample_rows):
                status = client.get(url).status_code
                requests += 1
                if status == 200:
                    leaks.append(f"{role}: {url} ({name})")
    elapsed = time.monotonic() - started
    print(f"{requests} requests in {elapsed:.1f} s")  # a figure to read, not a timed test
    assert leaks == [], "\n".join(leaks)
