from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from associations.models import Cohort, ImportJob, Session
from associations.selectors import cohorts_for, sessions_for
from associations.sheets.headers import columns_of
from associations.sheets.jobs import import_kinds_for
from associations.sheets.reading import MAX_FILE_BYTES

KIND_LABELS = {
    "organisations": _("Organisations (associations, services)"),
    "people": _("People (participants)"),
    "enrolments": _("Enrolments in a cohort"),
    "attendance": _("Attendance of a session (filled sign-in sheet)"),
}


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What does the sheet hold?"))
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("Excel (.xlsx), OpenDocument (.ods) or CSV, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.ods,.csv"}),
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.none(),
        required=False,
        help_text=_("For enrolments: the cohort to enrol them in, unless the sheet names it."),
    )
    session = forms.ModelChoiceField(
        label=_("Session"),
        queryset=Session.objects.none(),
        required=False,
        help_text=_("For attendance: the session whose sign-in sheet this is."),
    )
    mode = forms.ChoiceField(
        label=_("If some rows have errors"),
        choices=ImportJob.Mode.choices,
        initial=ImportJob.Mode.ALL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = import_kinds_for(user)
        self.fields["kind"].choices = [(kind, KIND_LABELS[kind]) for kind in kinds]
        if "enrolments" in kinds:
            self.fields["cohort"].queryset = cohorts_for(user)
        else:
            del self.fields["cohort"]
        self.fields["session"].queryset = sessions_for(user).filter(cancelled=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is larger than %(max)s MB. Split it into smaller files and import "
                    "them one after the other."
                )
                % {"max": MAX_FILE_BYTES // 2**20}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload

    def clean(self):
        data = super().clean()
        if data.get("kind") == "attendance" and not data.get("session"):
            self.add_error("session", _("Choose the session whose sign-in sheet this is."))
        return data

    def context(self):
        data = self.cleaned_data
        if data["kind"] == "attendance":
            return {"session": data["session"].pk}
        if data["kind"] == "enrolments" and data.get("cohort"):
            return {"cohort": data["cohort"].pk}
        return {}


class HeaderMappingForm(forms.Form):
    """One choice per header of the file that named no field: which field it holds, or
    nothing (the column is ignored)."""

    def __init__(self, *args, kind, headers, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or "fr"
        choices = [("", _("— ignore this column —"))] + [
            (column.name, column.header(language)) for column in columns_of(kind)
        ]
        self.headers = list(headers)
        for index, header in enumerate(self.headers):
            self.fields[f"header_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False
            )

    def mapping(self):
        return {
            header: self.cleaned_data.get(f"header_{index}", "")
            for index, header in enumerate(self.headers)
        }


class ConfirmForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("If some rows have errors"),
        choices=ImportJob.Mode.choices,
        widget=forms.RadioSelect,
    )
