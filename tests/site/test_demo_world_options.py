"""``demo_world``'s options, on an empty database (apart from ``test_demo_world``, whose tests
share one world built per module)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from associations.models import Organisation, Territory

pytestmark = pytest.mark.django_db


def run(**options):
    out = StringIO()
    call_command("demo_world", stdout=out, **options)
    return out.getvalue()


def moulay_yacoub_associations():
    return Organisation.objects.filter(
        territory__path__startswith=Territory.objects.get(code="MA-03-MY").path,
        kind__in=[
            Organisation.Kind.ASSOCIATION,
            Organisation.Kind.COOPERATIVE,
            Organisation.Kind.FEDERATION,
        ],
    )


def test_quiet_prints_nothing_and_bad_counts_are_refused(db):
    assert run(quiet=True, associations=3, agents=2) == ""
    assert moulay_yacoub_associations().count() == 3
    with pytest.raises(CommandError):
        run(associations=0)
