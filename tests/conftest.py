import pytest

from associations.models import Territory
from tests.factories import OrganisationFactory, territory_child, territory_root


@pytest.fixture
def world(db):
    """Two countries' worth of territory: Benin > Mono > Lokossa, Couffo > Aplahoué;
    Morocco > Fès-Meknès > Moulay Yacoub; one association in each leaf."""
    benin = territory_root("Bénin", "BJ")
    mono = territory_child(benin, "Mono", "BJ-MO", Territory.Kind.DEPARTMENT)
    lokossa = territory_child(mono, "Lokossa", "BJ-MO-LOK", Territory.Kind.COMMUNE)
    couffo = territory_child(benin, "Couffo", "BJ-KO", Territory.Kind.DEPARTMENT)
    aplahoue = territory_child(couffo, "Aplahoué", "BJ-KO-APL", Territory.Kind.COMMUNE)
    morocco = territory_root("Maroc", "MA")
    fes = territory_child(morocco, "Fès-Meknès", "MA-03", Territory.Kind.REGION)
    moulay = territory_child(fes, "Moulay Yacoub", "MA-03-MY", Territory.Kind.PROVINCE)
    return {
        "benin": Territory.objects.get(pk=benin.pk),
        "mono": Territory.objects.get(pk=mono.pk),
        "lokossa": lokossa,
        "couffo": Territory.objects.get(pk=couffo.pk),
        "aplahoue": aplahoue,
        "morocco": Territory.objects.get(pk=morocco.pk),
        "moulay": moulay,
        "org_lokossa": OrganisationFactory(name="GUPS de Lokossa", territory=lokossa),
        "org_mono": OrganisationFactory(name="DDASM Mono", territory=mono),
        "org_aplahoue": OrganisationFactory(name="GUPS d'Aplahoué", territory=aplahoue),
        "org_moulay": OrganisationFactory(name="Association Tafilalt", territory=moulay),
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps its rate-limit counters in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /ar/ leaves Arabic active in the thread: each test starts in French."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="module")
def demo_world_output(django_db_setup, django_db_blocker):
    """``manage.py demo_world`` built once per test module (it takes seconds), inside a
    transaction rolled back when the module's tests are done. Each test still runs in its own
    savepoint (the ``db`` fixture), so what one test writes is gone before the next. Returns what
    the command printed."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = StringIO()
            call_command("demo_world", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_world_output, db):
    """The demo world (see ``demo_world_output``), for one test."""
    return demo_world_output
