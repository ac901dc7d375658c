from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Diagnostic, Framework


class ResponseForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=[("", "-"), *[(level, level) for level in (1, 2, 3, 4)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=4000)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Document or photo"))


class DiagnosticStartForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=_("Framework"), queryset=Framework.objects.none(), empty_label=None
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=Diagnostic.Phase.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_self_assessment = forms.BooleanField(label=_("Self-assessment"), required=False)

    def __init__(self, *args, organisation, can_choose_self_assessment, **kwargs):
        super().__init__(*args, **kwargs)
        # The latest version of each framework, those for this kind of organisation first.
        latest = {}
        for framework in Framework.objects.order_by("code", "-version"):
            latest.setdefault(framework.code, framework)
        self.fields["framework"].queryset = Framework.objects.filter(
            pk__in=[f.pk for f in latest.values()]
        )
        target = (
            Framework.Target.ASSOCIATIONS
            if organisation.kind in ("association", "cooperative", "federation")
            else Framework.Target.PUBLIC_SERVICES
        )
        preferred = [f for f in latest.values() if f.target == target]
        if preferred:
            self.fields["framework"].initial = preferred[0].pk
        if not can_choose_self_assessment:
            del self.fields["is_self_assessment"]


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it corrected?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class PlanItemForm(forms.Form):
    module = forms.IntegerField(widget=forms.HiddenInput)
    cohort = forms.IntegerField(label=_("Cohort"), required=False)
    due_date = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
