"""A big cohort for the cohort-page benchmark: ``people`` enrolled in Moulay Yacoub, ``sessions``
held sessions, one attendance row per person and session (500 x 40 = 20,000 rows).

Run inside Django (``manage.py shell -c``) after ``demo_world``; prints ``cohort_pk session_pk``."""

import random
from datetime import date, timedelta

from associations.models import Attendance, Cohort, Enrolment, Organisation, Person, Territory

CODE = "BENCH-BIG"


def build(people=500, sessions=40):
    territory = Territory.objects.get(code="MA-03-MY")
    organisation = Organisation.objects.filter(territory__path__startswith=territory.path).first()
    cohort, _created = Cohort.objects.get_or_create(
        code=CODE,
        defaults={
            "title": "Cohorte de mesure",
            "territory": territory,
            "start_date": date(2024, 1, 8),
            "capacity": people,
            "status": Cohort.Status.RUNNING,
        },
    )
    if not cohort.enrolments.exists():
        persons = Person.objects.bulk_create(
            Person(first_name=f"Prénom{n}", last_name=f"Nom{n:04d}", organisation=organisation)
            for n in range(people)
        )
        enrolments = Enrolment.objects.bulk_create(
            Enrolment(cohort=cohort, person=p, organisation=organisation) for p in persons
        )
        from associations.models import Session

        held = Session.objects.bulk_create(
            Session(cohort=cohort, date=date(2024, 1, 8) + timedelta(days=7 * n), theme=f"S{n}")
            for n in range(sessions)
        )
        rng = random.Random("bench")
        statuses = ["present"] * 8 + ["absent", "excused"]
        Attendance.objects.bulk_create(
            (
                Attendance(session=s, enrolment=e, status=rng.choice(statuses))
                for e in enrolments
                for s in held
            ),
            batch_size=2000,
        )
    session = cohort.sessions.order_by("date").last()
    print(cohort.pk, session.pk, Attendance.objects.filter(session__cohort=cohort).count())
