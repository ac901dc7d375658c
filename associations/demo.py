"""The associations part of the demo world (``manage.py demo_world``).

Real territories and situations from the field reports: the departmental directorate of social
affairs of Mono (Bénin) and its 25 agents trained at the Préfecture de Lokossa in November 2024,
the ~50 associations of the province of Moulay Yacoub (Maroc) in the Takwia programme, and a
few other territories (Agadir Ida-Outanane, Ségou, Bankui).

Every builder takes the ``world`` namespace the command passes along (options in, built objects
out for the next builders) and returns lines ``(label, total, created, updated)``. Everything is
matched on a natural key and written only when it differs, so a second run writes nothing.
Names, numbers and dates come from seeded ``random.Random`` instances, one per row, so the first
N rows are the same whatever N is.
"""

import csv
import io
import random
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.management.base import CommandError

from associations.models import (
    Attendance,
    Cohort,
    CohortOrganisation,
    Enrolment,
    Organisation,
    OutsideFacilitator,
    Person,
    Role,
    Session,
    Territory,
)
from associations.services import role_assign
from associations.sheets.cleaning import phone_key

DEMO_PASSWORD = "Renfort-Demo-2026"
SEED = "renfort-demo"

Kind = Territory.Kind
Sex = Person.Sex


# --------------------------------------------------------------------------------------------
# Writing helpers
# --------------------------------------------------------------------------------------------


def _chunks(values, size=500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def sync_rows(model, key, rows, *, batch_size=500):
    """Make ``model`` hold ``rows`` (dicts keyed by field attname), matching existing rows on
    the ``key`` fields. Missing rows are bulk-created, rows that differ are bulk-updated on the
    differing fields only, equal rows are not touched. Returns ``(objects in the order of rows,
    created, updated)``."""
    key = (key,) if isinstance(key, str) else tuple(key)

    def key_of(values):
        return tuple(values[field] for field in key)

    wanted = {key_of(row): row for row in rows}
    existing = {}
    first_values = list({row[key[0]] for row in rows})
    for chunk in _chunks(first_values):
        for obj in model._default_manager.filter(**{f"{key[0]}__in": chunk}):
            obj_key = tuple(getattr(obj, field) for field in key)
            if obj_key in wanted:
                existing.setdefault(obj_key, obj)

    to_create, to_update, changed_fields = [], [], set()
    for row_key, row in wanted.items():
        obj = existing.get(row_key)
        if obj is None:
            obj = model(**row)
            to_create.append(obj)
            existing[row_key] = obj
            continue
        changed = [field for field, value in row.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                setattr(obj, field, row[field])
            to_update.append(obj)
            changed_fields.update(changed)
    if to_create:
        model._default_manager.bulk_create(to_create, batch_size=batch_size)
    if to_update:
        model._default_manager.bulk_update(to_update, sorted(changed_fields), batch_size=batch_size)
    return [existing[key_of(row)] for row in rows], len(to_create), len(to_update)


def upsert(model, lookup, values):
    """One row of ``model`` found by ``lookup``, created with ``values`` or updated to them when
    they differ. Returns ``(obj, created, updated)``."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), True, False
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    for field in changed:
        setattr(obj, field, values[field])
    if changed:
        obj.save(update_fields=changed)
    return obj, False, bool(changed)


def ascii_slug(text, separator="."):
    """``"Aïn Chkef"`` -> ``"ain.chkef"``: for e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in plain.lower()).split()
    return separator.join(words)


# --------------------------------------------------------------------------------------------
# Territories
# --------------------------------------------------------------------------------------------


def _communes(prefix, names):
    return tuple((f"{prefix}-{code}", name, Kind.COMMUNE, ()) for code, name in names)


MONO_COMMUNES = (
    ("ATH", "Athiémé"),
    ("BOP", "Bopa"),
    ("COM", "Comè"),
    ("GPO", "Grand-Popo"),
    ("HOU", "Houéyogbé"),
    ("LOK", "Lokossa"),
)
MOULAY_YACOUB_COMMUNES = (
    ("MYA", "Moulay Yacoub"),
    ("ABA", "Aïn Bou Ali"),
    ("ACH", "Aïn Chkef"),
    ("AKA", "Aïn Kansara"),
    ("LAA", "Laajajra"),
    ("LOU", "Louadain"),
    ("MIK", "Mikkes"),
    ("OMI", "Oulad Mimoun"),
    ("SLO", "Sebt Loudaya"),
    ("SDA", "Sidi Daoud"),
)

# (code, name, kind, children). Codes are the natural key; they match the test fixtures.
TERRITORY_TREE = (
    (
        "BJ",
        "Bénin",
        Kind.COUNTRY,
        (("BJ-MO", "Mono", Kind.DEPARTMENT, _communes("BJ-MO", MONO_COMMUNES)),),
    ),
    (
        "MA",
        "Maroc",
        Kind.COUNTRY,
        (
            (
                "MA-03",
                "Fès-Meknès",
                Kind.REGION,
                (
                    (
                        "MA-03-MY",
                        "Moulay Yacoub",
                        Kind.PROVINCE,
                        _communes("MA-03-MY", MOULAY_YACOUB_COMMUNES),
                    ),
                ),
            ),
            (
                "MA-09",
                "Souss-Massa",
                Kind.REGION,
                (
                    (
                        "MA-09-AGD",
                        "Agadir Ida-Outanane",
                        Kind.PREFECTURE,
                        _communes(
                            "MA-09-AGD",
                            (
                                ("AGA", "Agadir"),
                                ("AOU", "Aourir"),
                                ("DRA", "Drarga"),
                                ("TAG", "Taghazout"),
                                ("TAM", "Tamri"),
                                ("AMS", "Amskroud"),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "ML",
        "Mali",
        Kind.COUNTRY,
        (
            (
                "ML-SEG",
                "Ségou",
                Kind.REGION,
                _communes(
                    "ML-SEG",
                    (
                        ("SEG", "Ségou"),
                        ("PEL", "Pelengana"),
                        ("SEB", "Sébougou"),
                        ("SAK", "Sakoïba"),
                    ),
                ),
            ),
        ),
    ),
    (
        "BF",
        "Burkina Faso",
        Kind.COUNTRY,
        (
            (
                "BF-BAN",
                "Bankui (ex-Boucle du Mouhoun)",
                Kind.REGION,
                (
                    (
                        "BF-BAN-MOU",
                        "Mouhoun",
                        Kind.PROVINCE,
                        _communes("BF-BAN-MOU", (("DED", "Dédougou"),)),
                    ),
                ),
            ),
        ),
    ),
)


def _tree_codes(nodes):
    for code, _name, _kind, children in nodes:
        yield code
        yield from _tree_codes(children)


def build_territories(world):
    """The territory tree, node by node (treebeard computes the paths); existing codes are
    kept and only renamed if their name or kind differs."""
    codes = list(_tree_codes(TERRITORY_TREE))
    existing = {t.code: t for t in Territory.objects.filter(code__in=codes)}
    counts = {"created": 0, "updated": 0}

    def walk(nodes, parent_code):
        # In name order, as treebeard keeps siblings: each new node goes last, nothing moves.
        for code, name, kind, children in sorted(nodes, key=lambda node: node[1]):
            node = existing.get(code)
            if node is None:
                if parent_code is None:
                    Territory.add_root(code=code, name=name, kind=kind)
                else:
                    # Re-read the parent: sorted insertion may have moved it since.
                    Territory.objects.get(code=parent_code).add_child(
                        code=code, name=name, kind=kind
                    )
                counts["created"] += 1
            elif node.name != name or node.kind != kind:
                Territory.objects.filter(pk=node.pk).update(name=name, kind=kind)
                counts["updated"] += 1
            walk(children, code)

    walk(TERRITORY_TREE, None)
    world.territories = {t.code: t for t in Territory.objects.filter(code__in=codes)}
    return [("Territoires", len(codes), counts["created"], counts["updated"])]


# --------------------------------------------------------------------------------------------
# The registry: data files imported as a coordinator would, through the sheets pipeline
# --------------------------------------------------------------------------------------------

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
ADMIN = ("admin@renfort.demo", "Admin", "Renfort")
# The participant account is the social worker of the Lokossa desk.
PARTICIPANT_SLOT = ("GUPS Lokossa", "Assistant social", "Assistante sociale")


def read_data(filename):
    """``(headers, rows)`` of a CSV of ``demo_data/`` (UTF-8, the import templates' headers)."""
    with open(DATA_DIR / filename, newline="", encoding="utf-8") as file:
        headers, *rows = list(csv.reader(file))
    return headers, rows


def demo_admin(world):
    """The demo administrator, who imports the registry (created here on the first run, before
    the other accounts; ``build_accounts`` finds it)."""
    if getattr(world, "admin", None) is None:
        world.password_hash = getattr(world, "password_hash", None) or _PasswordHash()
        email, first, last = ADMIN
        world.admin, world.admin_created, _updated = ensure_user(
            email,
            first_name=first,
            last_name=last,
            superuser=True,
            password_hash=world.password_hash,
        )
    return world.admin


def import_rows(world, kind, filename, headers, rows):
    """Import ``rows`` as the sheet ``filename`` of ``kind`` through ``import_sheet``, as the
    demo administrator, all or nothing. Returns ``(new, updated)``; any error stops the command
    with every error listed."""
    from associations.sheets.pipeline import import_sheet

    out = io.StringIO()
    csv.writer(out).writerows([headers, *rows])
    report = import_sheet(
        kind,
        out.getvalue().encode("utf-8"),
        filename,
        user=demo_admin(world),
        dry_run=False,
        mode="all",
    )
    if report.has_errors:
        problems = [report.refused] if report.refused else []
        problems += [
            f"ligne {row.number}"
            + (f", colonne « {e.column} »" if e.column else "")
            + f" : {e.message}"
            for row in report.error_rows
            for e in row.errors
        ]
        raise CommandError(
            f"Import des données de démonstration {filename} refusé :\n  " + "\n  ".join(problems)
        )
    return report.counts["new"], report.counts["updated"]


def _column(headers, name):
    return headers.index(name)


def _synthetic_phone(prefix, index, rank=0):
    """A phone no file row uses (``prefix`` is not a mobile range of the files)."""
    return f"{prefix} {rank:02d} {index // 10000:02d} {index // 100 % 100:02d} {index % 100:02d}"


def _by_phone(people):
    return {phone_key(person.phone): person for person in people if person.phone}


def build_public_services(world):
    """The DDASM-M, its 6 one-stop desks and 3 sectoral services (``mono-services.csv``) and
    ``world.agent_count`` agents (``mono-agents.csv``; beyond its 25 rows, extra agents made from
    them). Services have no registration number: the import matches them on name and commune;
    agents on their phone or e-mail."""
    headers, services = read_data("mono-services.csv")
    created_s, updated_s = import_rows(
        world, "organisations", "mono-services.csv", headers, services
    )
    acronyms = [row[_column(headers, "Sigle")] for row in services]
    found = {
        o.acronym: o
        for o in Organisation.objects.filter(
            acronym__in=acronyms, territory__path__startswith=world.territories["BJ-MO"].path
        )
    }
    world.mono_services = {acronym: found[acronym] for acronym in acronyms}

    headers, agents = read_data("mono-agents.csv")
    last, first, email, phone = (
        _column(headers, name) for name in ("Nom", "Prénom", "E-mail", "Téléphone")
    )
    rows = agents[: world.agent_count]
    for index in range(len(agents), world.agent_count):
        row = list(agents[index % len(agents)])
        row[last] = agents[(index * 7 + 3) % len(agents)][last]
        row[email] = f"{ascii_slug(row[first])}.{ascii_slug(row[last])}.{index + 1}@ddasm-mono.demo"
        row[phone] = _synthetic_phone("+229 01 99", index)
        rows.append(row)
    created_a, updated_a = import_rows(world, "people", "mono-agents.csv", headers, rows)
    emails = [row[email].lower() for row in rows]
    by_email = {p.email.lower(): p for p in Person.objects.filter(email__in=emails)}
    world.agents = [by_email[address] for address in emails]

    organisation, function = _column(headers, "Organisation"), _column(headers, "Fonction")
    world.participant_agent = next(
        (
            agent
            for row, agent in zip(rows, world.agents, strict=True)
            if row[organisation] == PARTICIPANT_SLOT[0] and row[function] in PARTICIPANT_SLOT[1:]
        ),
        world.agents[0],
    )
    return [
        ("Services publics du Mono (DDASM-M, GUPS, SSS)", len(services), created_s, updated_s),
        ("Agents des services du Mono", len(world.agents), created_a, updated_a),
    ]


def build_associations(world):
    """``world.association_count`` organisations of Moulay Yacoub, named in French and Arabic
    (``moulay-yacoub-associations.csv``; beyond its 50 rows, extra ones made from them) and
    their one or two delegates each (``moulay-yacoub-delegates.csv``), imported through the
    sheets pipeline: organisations matched on their registration number, delegates on their
    phone."""
    headers, associations = read_data("moulay-yacoub-associations.csv")
    name, name_ar, number, phone, email, acronym = (
        _column(headers, h)
        for h in (
            "Nom de l'association",
            "Nom en arabe",
            "N° de récépissé",
            "Téléphone",
            "E-mail",
            "Sigle",
        )
    )
    rows = associations[: world.association_count]
    for index in range(len(associations), world.association_count):
        row = list(associations[index % len(associations)])
        row[name] = f"{row[name]} ({index + 1})"
        row[name_ar] = f"{row[name_ar]} ({index + 1})"
        row[number] = f"MY/ASS/{index + 1:04d}"
        row[phone] = _synthetic_phone("+212 7 00", index)
        row[email] = f"{row[acronym].lower()}.{index + 1}@associations.demo"
        rows.append(row)
    created_o, updated_o = import_rows(
        world, "organisations", "moulay-yacoub-associations.csv", headers, rows
    )
    numbers = [row[number] for row in rows]
    by_number = {
        o.registration_number: o
        for o in Organisation.objects.filter(registration_number__in=numbers)
    }
    world.associations = [by_number[n] for n in numbers]

    headers, delegates = read_data("moulay-yacoub-delegates.csv")
    organisation, phone, last = (_column(headers, h) for h in ("Organisation", "Téléphone", "Nom"))
    of_association = defaultdict(list)
    for row in delegates:
        of_association[row[organisation]].append(row)
    rows = []
    for index, registration_number in enumerate(numbers):
        if registration_number in of_association:
            rows += of_association[registration_number]
            continue
        model = of_association[numbers[index % len(associations)]]
        for rank, delegate in enumerate(model):
            row = list(delegate)
            row[organisation] = registration_number
            row[last] = delegates[(index * 7 + rank) % len(delegates)][last]
            row[phone] = _synthetic_phone("+212 7 10", index, rank)
            rows.append(row)
    created_d, updated_d = import_rows(
        world, "people", "moulay-yacoub-delegates.csv", headers, rows
    )
    by_phone = _by_phone(Person.objects.filter(organisation__in=world.associations))
    world.delegates = [by_phone[phone_key(row[phone])] for row in rows]
    return [
        ("Associations de Moulay Yacoub", len(world.associations), created_o, updated_o),
        ("Délégués des associations", len(world.delegates), created_d, updated_d),
    ]


# --------------------------------------------------------------------------------------------
# Demo accounts and their roles
# --------------------------------------------------------------------------------------------


class _PasswordHash:
    """One PBKDF2 hash of the demo password shared by every demo account (hashing costs most of
    a second; eight of them would dominate the run), and one check per distinct stored hash."""

    def __init__(self):
        self._encoded = None
        self._checked = {}

    def encoded(self):
        if self._encoded is None:
            self._encoded = make_password(DEMO_PASSWORD)
        return self._encoded

    def matches(self, encoded):
        if encoded not in self._checked:
            self._checked[encoded] = check_password(DEMO_PASSWORD, encoded)
        return self._checked[encoded]


def ensure_user(email, *, first_name, last_name, superuser=False, password_hash):
    """The demo account ``email`` with the demo password and a verified address. Returns
    ``(user, created, updated)``; an existing account is only written if it differs."""
    User = get_user_model()
    wanted = {
        "first_name": first_name,
        "last_name": last_name,
        "is_active": True,
        "is_staff": superuser,
        "is_superuser": superuser,
    }
    user = User.objects.filter(email=email).first()
    created = updated = False
    if user is None:
        # No password here: the shared hash is set just below (one PBKDF2 for all accounts).
        user = User.objects.create_user(email=email, password=None, **wanted)
        user.password = password_hash.encoded()
        user.save(update_fields=["password"])
        created = True
    else:
        changed = [field for field, value in wanted.items() if getattr(user, field) != value]
        if not password_hash.matches(user.password):
            user.password = password_hash.encoded()
            changed.append("password")
        for field in changed:
            if field != "password":
                setattr(user, field, wanted[field])
        if changed:
            user.save(update_fields=changed)
            updated = True
    address = EmailAddress.objects.filter(user=user, email=user.email).first()
    if address is None or not (address.verified and address.primary):
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        updated = updated or not created
    return user, created, updated


def build_accounts(world):
    """The demo accounts, their roles (through ``role_assign`` only) and the participant's link
    to a Mono agent. Leaves ``world.users`` and ``world.accounts`` (the table to print)."""
    territories = world.territories
    mono, moulay_yacoub = territories["BJ-MO"], territories["MA-03-MY"]
    focal_association = world.associations[0]
    agent = world.participant_agent
    demo_admin(world)
    password_hash = world.password_hash
    n_services, n_agents = len(world.mono_services), len(world.agents)
    n_associations, n_delegates = len(world.associations), len(world.delegates)

    # (key, e-mail, first name, last name, role label, what they see, roles to assign)
    specs = (
        (
            "admin",
            "admin@renfort.demo",
            "Admin",
            "Renfort",
            "Administrateur (superutilisateur)",
            "Tout : chaque territoire, organisation et cohorte ; l'administration /admin/",
            (),
        ),
        (
            "coordination_mono",
            "coordination.mono@renfort.demo",
            "Prudence",
            "Hounsa",
            "Coordonnatrice, département du Mono",
            f"Le Mono et ses 6 communes : {n_services} services, {n_agents} agents, "
            "l'atelier de Lokossa ; rien hors du Mono",
            ((Role.COORDINATOR, {"territory": mono}),),
        ),
        (
            "coordination_moulay_yacoub",
            "coordination.moulay-yacoub@renfort.demo",
            "Abdelhak",
            "Sefrioui",
            "Coordonnateur, province de Moulay Yacoub",
            f"Les {n_associations} associations de la province, {n_delegates} délégués, "
            "la cohorte Takwia ; rien hors de la province",
            ((Role.COORDINATOR, {"territory": moulay_yacoub}),),
        ),
        (
            "trainer_zannou",
            "etienne.zannou@renfort.demo",
            "Etienne",
            "Zannou",
            "Formateur (mobilisation sociale)",
            f"L'atelier de Lokossa (20-22 novembre 2024) et ses {n_agents} participants",
            ((Role.TRAINER, {}),),
        ),
        (
            "trainer_gbehinto",
            "bruno.gbehinto@renfort.demo",
            "Bruno",
            "Gbehinto",
            "Formateur (suivi des projets)",
            f"L'atelier de Lokossa (20-22 novembre 2024) et ses {n_agents} participants",
            ((Role.TRAINER, {}),),
        ),
        (
            "trainer_takwia",
            "formation.takwia@renfort.demo",
            "Samira",
            "Ouazzani",
            "Formatrice (programme Takwia)",
            f"La cohorte Takwia de Moulay Yacoub et ses {n_delegates} délégués",
            ((Role.TRAINER, {}),),
        ),
        (
            "focal_point",
            "pointfocal@renfort.demo",
            "Naïma",
            "Benjelloun",
            "Point focal d'association",
            f"Sa seule association : {focal_association.name}",
            ((Role.FOCAL_POINT, {"organisation": focal_association}),),
        ),
        (
            "participant",
            "participant@renfort.demo",
            agent.first_name,
            agent.last_name,
            "Participant (agent du Mono)",
            f"Sa propre fiche ({agent.first_name} {agent.last_name}, "
            f"{agent.function}, {PARTICIPANT_SLOT[0]}) et ses inscriptions",
            (),
        ),
    )
    users, accounts, created, updated, new_keys = {}, [], 0, 0, set()
    for key, email, first, last, role_label, sees, roles in specs:
        user, was_created, was_updated = ensure_user(
            email,
            first_name=first,
            last_name=last,
            superuser=key == "admin",
            password_hash=password_hash,
        )
        if key == "admin" and world.admin_created:
            # Created a moment ago to import the registry: counted here, once.
            was_created, world.admin_created = True, False
        created += was_created
        updated += was_updated
        if was_created:
            new_keys.add(key)
        for role, target in roles:
            role_assign(user=user, role=role, **target)
        users[key] = user
        accounts.append((email, DEMO_PASSWORD, role_label, sees))

    if agent.user_id != users["participant"].pk:
        # The participant account takes over the agent record (and only that one).
        Person.objects.filter(user=users["participant"]).exclude(pk=agent.pk).update(user=None)
        agent.user = users["participant"]
        agent.save(update_fields=["user"])
        updated += "participant" not in new_keys
    world.users = users
    world.accounts = accounts
    return [("Comptes de démonstration", len(users), created, updated)]


# --------------------------------------------------------------------------------------------
# Cohorts and enrolments
# --------------------------------------------------------------------------------------------

MONO_WORKSHOP_CODE = "DDASM-M-2024-MS"
TAKWIA_CODE = "MY-TAKWIA-2026"


def build_cohorts(world):
    """The closed Lokossa workshop (all agents) and the running Takwia cohort (all delegates)."""
    users = world.users
    specs = (
        (
            MONO_WORKSHOP_CODE,
            {
                "title": "Mobilisation sociale et suivi des projets et programmes",
                "territory": world.territories["BJ-MO"],
                "start_date": date(2024, 11, 20),
                "end_date": date(2024, 11, 22),
                "venue": "Salle de conférence de la Préfecture de Lokossa",
                "capacity": max(25, len(world.agents)),
                "status": Cohort.Status.CLOSED,
            },
            (users["trainer_zannou"], users["trainer_gbehinto"]),
            world.agents,
        ),
        (
            TAKWIA_CODE,
            {
                "title": "Programme provincial de renforcement du secteur associatif (Takwia)",
                "territory": world.territories["MA-03-MY"],
                "start_date": date(2026, 2, 5),
                "end_date": date(2028, 1, 27),
                "venue": "Salle de réunion de la Province de Moulay Yacoub",
                "capacity": max(100, len(world.delegates) + 5),
                "status": Cohort.Status.RUNNING,
            },
            (users["trainer_takwia"],),
            world.delegates,
        ),
    )
    cohorts, created_c, updated_c, enrolment_rows = {}, 0, 0, []
    for code, values, facilitators, people in specs:
        cohort, was_created, was_updated = upsert(Cohort, {"code": code}, values)
        created_c += was_created
        updated_c += was_updated
        missing = {u.pk for u in facilitators} - set(
            cohort.facilitators.values_list("pk", flat=True)
        )
        if missing:
            cohort.facilitators.add(*missing)
            updated_c += not was_created
        cohorts[code] = cohort
        enrolment_rows += [
            {"cohort_id": cohort.pk, "person_id": p.pk, "organisation_id": p.organisation_id}
            for p in people
        ]
    enrolments, created_e, updated_e = sync_rows(
        Enrolment, ("cohort_id", "person_id"), enrolment_rows
    )
    world.cohorts = cohorts
    return [
        ("Cohortes", len(cohorts), created_c, updated_c),
        ("Inscriptions", len(enrolments), created_e, updated_e),
    ]


# --------------------------------------------------------------------------------------------
# Sessions and attendance
# --------------------------------------------------------------------------------------------

LOKOSSA_FACILITATORS = (
    # (name, affiliation, theme): one theme per facilitator, as the DDASM-M reported it.
    (
        "Etienne ZANNOU",
        "Personne ressource, Ministère des Affaires Sociales et de la Microfinance",
        "La mobilisation sociale : techniques pour fédérer les communautés",
    ),
    (
        "Bruno GBEHINTO",
        "Personne ressource, Ministère des Affaires Sociales et de la Microfinance",
        "Le suivi des projets et programmes : PND, Plan Stratégique 2022-2026, PTA et indicateurs",
    ),
)
LOKOSSA_PLACE = "Salle de conférence de la Préfecture de Lokossa"
TAKWIA_SESSIONS = 16  # one per module of the cycle, spread over two years
TAKWIA_WITHDRAWAL = {"reason": "Départ de l'association", "after_session": 3}
TAKWIA_REPLACEMENT = {"reason": "Remplacé par un autre membre du bureau", "after_session": 2}


def _takwia_dates(start):
    """Sixteen training days about six weeks apart from ``start``, on weekdays."""
    dates = []
    for index in range(TAKWIA_SESSIONS):
        day = date.fromordinal(start.toordinal() + index * 45)
        while day.weekday() >= 5:
            day = date.fromordinal(day.toordinal() + 1)
        dates.append(day)
    return dates


def _status(rng, *, present_rate):
    roll = rng.random()
    if roll < present_rate:
        return Attendance.Status.PRESENT
    return (
        Attendance.Status.EXCUSED
        if roll < present_rate + (1 - present_rate) / 3
        else (Attendance.Status.ABSENT)
    )


def build_sessions(world):
    """The three days of the Lokossa workshop (20-22 November 2024, two outside facilitators,
    one theme each, 25 agents with a few absences) and the Takwia cycle's sixteen sessions
    (attendance taken for those already held; one delegate withdrawn, one replaced). Every
    association of the province is enrolled as such in Takwia."""
    today = date.today()
    lokossa = world.cohorts[MONO_WORKSHOP_CODE]
    takwia = world.cohorts[TAKWIA_CODE]
    created = {"facilitators": 0, "sessions": 0}
    updated = {"facilitators": 0, "sessions": 0}

    outside = []
    for name, affiliation, _theme in LOKOSSA_FACILITATORS:
        facilitator, was_created, was_updated = upsert(
            OutsideFacilitator,
            {"name": name},
            {"affiliation": affiliation, "territory": world.territories["BJ"]},
        )
        created["facilitators"] += was_created
        updated["facilitators"] += was_updated
        outside.append(facilitator)
    if set(lokossa.outside_facilitators.values_list("pk", flat=True)) != {f.pk for f in outside}:
        lokossa.outside_facilitators.set(outside)

    users = world.users
    specs = [
        (
            lokossa,
            date(2024, 11, 20 + day),
            LOKOSSA_FACILITATORS[min(day, 1)][2]
            if day < 2
            else "Travaux pratiques : outils de suivi du PTA et évaluation de l'atelier",
            LOKOSSA_PLACE,
            [outside[min(day, 1)]] if day < 2 else outside,
            [users["trainer_zannou"] if day == 0 else users["trainer_gbehinto"]],
        )
        for day in range(3)
    ]
    for number, day in enumerate(_takwia_dates(takwia.start_date), start=1):
        specs.append(
            (
                takwia,
                day,
                f"Module {number}",
                "Salle de réunion de la Province de Moulay Yacoub",
                [],
                [users["trainer_takwia"]],
            )
        )
    sessions = []
    for cohort, day, theme, place, outside_people, facilitators in specs:
        session, was_created, was_updated = upsert(
            Session,
            {"cohort": cohort, "date": day, "part": Session.Part.DAY},
            {"theme": theme, "place": place},
        )
        created["sessions"] += was_created
        updated["sessions"] += was_updated
        if set(session.outside_facilitators.values_list("pk", flat=True)) != {
            f.pk for f in outside_people
        }:
            session.outside_facilitators.set(outside_people)
        if set(session.facilitators.values_list("pk", flat=True)) != {u.pk for u in facilitators}:
            session.facilitators.set(facilitators)
        sessions.append(session)
    lokossa_sessions = [s for s in sessions if s.cohort_id == lokossa.pk]
    takwia_sessions = [s for s in sessions if s.cohort_id == takwia.pk]

    modules = []
    if takwia.programme_id:
        from courses.models import ModulePage

        modules = list(ModulePage.objects.child_of(takwia.programme).order_by("path"))
    for session, module in zip(takwia_sessions, modules, strict=False):
        if list(session.modules.values_list("pk", flat=True)) != [module.pk]:
            session.modules.set([module])

    # Takwia: one delegate withdraws, another is replaced by a member of the same board.
    takwia_enrolments = list(
        Enrolment.objects.filter(cohort=takwia, replaces__isnull=True)
        .select_related("person", "organisation")
        .order_by("person__organisation__registration_number", "person__last_name")
    )
    # (Only in a world with enough delegates: `demo_world --associations 1` has too few.)
    replacements = []
    if len(takwia_enrolments) >= 3:
        withdrawn = takwia_enrolments[-1]
        replaced = takwia_enrolments[-3]
        withdrawal_day = takwia_sessions[TAKWIA_WITHDRAWAL["after_session"]].date
        replacement_day = takwia_sessions[TAKWIA_REPLACEMENT["after_session"]].date
        for enrolment, day, reason in (
            (withdrawn, withdrawal_day, TAKWIA_WITHDRAWAL["reason"]),
            (replaced, replacement_day, TAKWIA_REPLACEMENT["reason"]),
        ):
            upsert(
                Enrolment, {"pk": enrolment.pk}, {"withdrawn_on": day, "withdrawal_reason": reason}
            )
        substitute, _c, _u = upsert(
            Person,
            {
                "organisation": replaced.organisation,
                "first_name": "Saïda",
                "last_name": "El Ouazzani",
            },
            {
                "sex": Sex.FEMALE,
                "birth_year": 1988,
                "function": "Trésorière",
                "phone": "+212 661 48 27 90",
            },
        )
        replacement, _c, _u = upsert(
            Enrolment,
            {"cohort": takwia, "person": substitute},
            {"organisation": replaced.organisation, "replaces": replaced},
        )
        replacements.append(replacement)

    # Attendance of the sessions already held, drawn from one seeded generator per person.
    rows = []
    lokossa_enrolments = list(Enrolment.objects.filter(cohort=lokossa).order_by("pk"))
    for enrolment in lokossa_enrolments:
        rng = random.Random(f"{SEED}-lokossa-{enrolment.person_id}")
        for session in lokossa_sessions:
            rows.append((session, enrolment, _status(rng, present_rate=0.94)))
    for enrolment in [*takwia_enrolments, *replacements]:
        rng = random.Random(f"{SEED}-takwia-{enrolment.person_id}")
        for session in takwia_sessions:
            if session.date > today:
                break
            if enrolment.withdrawn_on and session.date >= enrolment.withdrawn_on:
                break
            if enrolment.replaces_id and session.date < replacement_day:
                continue
            rows.append((session, enrolment, _status(rng, present_rate=0.85)))
    recorder = {lokossa.pk: users["trainer_gbehinto"], takwia.pk: users["trainer_takwia"]}
    attendances, created_a, updated_a = sync_rows(
        Attendance,
        ("session_id", "enrolment_id"),
        [
            {
                "session_id": session.pk,
                "enrolment_id": enrolment.pk,
                "status": status,
                "recorded_by_id": recorder[session.cohort_id].pk,
            }
            for session, enrolment, status in rows
        ],
    )

    links, created_o, updated_o = sync_rows(
        CohortOrganisation,
        ("cohort_id", "organisation_id"),
        [{"cohort_id": takwia.pk, "organisation_id": o.pk} for o in world.associations],
    )
    return [
        ("Intervenants extérieurs", len(outside), created["facilitators"], updated["facilitators"]),
        ("Séances", len(sessions), created["sessions"], updated["sessions"]),
        ("Présences", len(attendances), created_a, updated_a),
        ("Associations inscrites (Takwia)", len(links), created_o, updated_o),
    ]


# The other seed situations, as cohorts with the sessions the field reports describe.
OTHER_COHORTS = (
    (
        "DGCT-SEG-2023-CAE",
        {
            "title": "Atelier de planification de l'Initiative « Communes Amies des Enfants » "
            "(plan d'actions 2024 de la DGCT)",
            "territory": "ML-SEG",
            "start_date": date(2023, 12, 20),
            "end_date": date(2023, 12, 23),
            "venue": "Salle de réunion de l'hôtel Fanta N'Dongo, Ségou",
            "status": Cohort.Status.CLOSED,
        },
        None,
        (
            "Évaluation du plan d'actions 2023 de la Direction générale des Collectivités "
            "territoriales",
            "Travaux en cinq groupes : planification des activités 2024 de l'Initiative",
            "Travaux en cinq groupes : cohérence avec le plan d'actions 2024 de la DGCT",
            "Restitution des groupes et validation du plan",
        ),
    ),
    (
        "CRPS-BAN-2024-09",
        {
            "title": "Session de la Cellule régionale de protection sociale du Bankui",
            "territory": "BF-BAN",
            "start_date": date(2024, 9, 11),
            "end_date": date(2024, 9, 13),
            "venue": "Dédougou",
            "status": Cohort.Status.CLOSED,
        },
        ("UNICEF", "Fonds des Nations Unies pour l'enfance"),
        (
            "Outils stratégiques : Stratégie nationale de protection sociale et son Plan "
            "d'actions opérationnel",
            "Outils de collecte de données sur les interventions de protection sociale",
            "Actions futures et recommandations de la cellule",
        ),
    ),
    (
        "DAS-AGD-EAQ",
        {
            "title": "Formation des membres des équipes d'animation de quartier (EAQ)",
            "territory": "MA-09-AGD",
            "start_date": None,
            "end_date": None,
            "venue": "Division de l'action sociale, Préfecture d'Agadir Ida-Outanane",
            "status": Cohort.Status.PLANNED,
        },
        None,
        (),
    ),
)


def build_other_cohorts(world):
    """The DGCT planning workshop in Ségou (four days), the Bankui social-protection cell's
    session in Dédougou (three days, funded by UNICEF) and the planned training of Agadir's
    neighbourhood facilitation teams. No participant lists: the reports give none."""
    from courses.models import Partner

    created = updated = sessions_created = sessions_updated = 0
    for code, values, partner, themes in OTHER_COHORTS:
        values = {**values, "territory": world.territories[values["territory"]]}
        cohort, was_created, was_updated = upsert(Cohort, {"code": code}, values)
        created += was_created
        updated += was_updated
        if partner:
            acronym, name = partner
            funder = Partner.objects.filter(acronym=acronym).first() or Partner.objects.create(
                acronym=acronym, name=name
            )
            if not cohort.partners.filter(pk=funder.pk).exists():
                cohort.partners.add(funder)
        for offset, theme in enumerate(themes):
            _session, was_created, was_updated = upsert(
                Session,
                {
                    "cohort": cohort,
                    "date": date.fromordinal(values["start_date"].toordinal() + offset),
                    "part": Session.Part.DAY,
                },
                {"theme": theme, "place": values["venue"]},
            )
            sessions_created += was_created
            sessions_updated += was_updated
    return [
        ("Autres cohortes (Ségou, Bankui, Agadir)", len(OTHER_COHORTS), created, updated),
        (
            "Séances des autres cohortes",
            sum(len(t) for *_x, t in OTHER_COHORTS),
            sessions_created,
            sessions_updated,
        ),
    ]


# The registry and the cohorts first; sessions once the cohorts follow their programme (the
# site's builders link them), so a session can name the modules it covers.
REGISTRY_BUILDERS = (
    build_territories,
    build_public_services,
    build_associations,
    build_accounts,
    build_cohorts,
)
TRAINING_BUILDERS = (build_sessions, build_other_cohorts)
BUILDERS = (*REGISTRY_BUILDERS, *TRAINING_BUILDERS)
