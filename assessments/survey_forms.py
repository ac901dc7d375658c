"""The survey form (one screen, the same online and on paper) and the form that opens a
survey for a cohort."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Question, Questionnaire, Survey
from assessments.survey_services import TEXT_MAX_LENGTH, survey_expected_answers

LIKERT_CHOICES = [(str(value), str(value)) for value in (1, 2, 3, 4, 5)]


class SurveyAnswerForm(forms.Form):
    """One field per expected answer: ``q<question>`` or ``q<question>-f<facilitator>``.
    ``sections`` groups the bound fields for the template, in the questionnaire's order."""

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.keys = {}
        self.sections = []
        for question, facilitator in survey_expected_answers(survey):
            name = f"q{question.pk}" + (f"-f{facilitator.pk}" if facilitator else "")
            if question.kind == Question.Kind.TEXT:
                field = forms.CharField(
                    label=question.label,
                    required=False,
                    max_length=TEXT_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            else:
                field = forms.ChoiceField(
                    label=question.label,
                    choices=LIKERT_CHOICES,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Choose a rating from 1 to 5.")},
                )
            self.fields[name] = field
            self.keys[name] = (question.pk, facilitator.pk if facilitator else None)
            heading = question.get_section_display()
            if facilitator:
                heading = f"{heading} · {facilitator.name}"
            if not self.sections or self.sections[-1][0] != heading:
                self.sections.append((heading, []))
            self.sections[-1][1].append(name)

    def grouped(self):
        return [(heading, [self[name] for name in names]) for heading, names in self.sections]

    def answers(self):
        """The cleaned answers as ``survey_answer_record`` takes them."""
        answers = {}
        for name, key in self.keys.items():
            value = self.cleaned_data.get(name)
            field = self.fields[name]
            answers[key] = int(value) if isinstance(field, forms.ChoiceField) else value
        return answers


class SurveyOpenForm(forms.Form):
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Questionnaire.objects.all(), empty_label=None
    )
    occasion = forms.ChoiceField(label=_("Occasion"), choices=Survey.Occasion.choices)
    session = forms.ModelChoiceField(
        label=_("Session (end of session only)"), queryset=None, required=False
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("Closes on (included)"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = cohort.sessions.filter(cancelled=False).order_by(
            "date", "part"
        )

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The closing date must be on or after the opening date."))
        return data
