"""The default satisfaction questionnaire (French, with Arabic and English), read from
``assessments/surveys/default_questionnaire.json``. Coordinators adapt it in the admin."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "surveys" / "default_questionnaire.json"


def load_default_questionnaire(apps, schema_editor):
    Questionnaire = apps.get_model("assessments", "Questionnaire")
    Question = apps.get_model("assessments", "Question")
    if Questionnaire.objects.filter(is_default=True).exists():
        return
    data = json.loads(DATA.read_text(encoding="utf-8"))
    questions = data.pop("questions")
    questionnaire = Questionnaire.objects.create(is_default=True, **data)
    Question.objects.bulk_create(
        Question(questionnaire=questionnaire, sort_order=order, **question)
        for order, question in enumerate(questions)
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_surveys_models")]

    operations = [
        migrations.RunPython(load_default_questionnaire, migrations.RunPython.noop),
    ]
