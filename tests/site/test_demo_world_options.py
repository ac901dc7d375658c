"""``demo_world``'s options, on an empty database (apart from ``test_demo_world``, whose tests
share one world built per module)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from associations.models import Organisation, Person, Territory

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


def test_a_bad_data_file_stops_the_command_with_its_errors_and_writes_nothing(
    db, tmp_path, monkeypatch
):
    from associations import demo

    for source in demo.DATA_DIR.iterdir():
        (tmp_path / source.name).write_bytes(source.read_bytes())
    path = tmp_path / "moulay-yacoub-associations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",Louadain,", ",Atlantide,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(demo, "DATA_DIR", tmp_path)
    with pytest.raises(CommandError) as refused:
        run(quiet=True, associations=5, agents=2)
    message = str(refused.value)
    assert "moulay-yacoub-associations.csv" in message
    assert "ligne 3, colonne « Commune »" in message and "Atlantide" in message
    assert not Organisation.objects.exists() and not Territory.objects.exists()


def test_the_registry_comes_from_the_data_files(db):
    from associations import demo

    run(quiet=True, associations=52, agents=26)
    headers, rows = demo.read_data("moulay-yacoub-associations.csv")
    row = dict(zip(headers, rows[0], strict=True))
    first = Organisation.objects.get(registration_number=row["N° de récépissé"])
    assert (first.name, first.name_ar, first.acronym) == (
        row["Nom de l'association"],
        row["Nom en arabe"],
        row["Sigle"],
    )
    assert first.name_ar.startswith("جمعية")
    # Beyond the file's 50 rows, extra associations made from them, with their delegates.
    extra = Organisation.objects.get(registration_number="MY/ASS/0052")
    assert Person.objects.filter(organisation=extra).exists()
    _headers, agents = demo.read_data("mono-agents.csv")
    assert Person.objects.filter(email=agents[0][5]).get().last_name == agents[0][0]
