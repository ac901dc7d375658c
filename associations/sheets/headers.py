"""Which column of a coordinator's sheet holds which field: the headers people really write, in
French, Arabic and English, matched whatever their accents, case, spacing and punctuation.

Each field has its template header per language (the first of its synonyms) and the usual
variants. Headers left unmatched are reported so the preview can offer a mapping step."""

from dataclasses import dataclass, field

from associations.sheets.cleaning import normalise_name


@dataclass(frozen=True)
class Column:
    name: str  # the field name (the resources' column name)
    fr: str
    ar: str
    en: str
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def header(self, language):
        return {"fr": self.fr, "ar": self.ar}.get(language[:2], self.en)


def _c(name, fr, ar, en, *synonyms, required=False):
    return Column(name, fr, ar, en, synonyms, required)


_PHONE = (
    "phone",
    "Téléphone",
    "الهاتف",
    "Phone",
    "Tél",
    "Tel",
    "N° de téléphone",
    "Numéro de téléphone",
    "Contact téléphonique",
    "Portable",
    "GSM",
    "Cellulaire",
    "Mobile",
    "Phone number",
    "Telephone",
    "رقم الهاتف",
    "الهاتف المحمول",
)
_EMAIL = (
    "email",
    "E-mail",
    "البريد الإلكتروني",
    "E-mail",
    "Email",
    "Courriel",
    "Mail",
    "Adresse e-mail",
    "Adresse électronique",
    "Adresse mail",
    "E-mail address",
    "البريد الالكتروني",
)
_LAST_NAME = (
    "last_name",
    "Nom",
    "النسب",
    "Last name",
    "Nom de famille",
    "Noms",
    "Surname",
    "Family name",
    "الاسم العائلي",
    "اللقب",
)
_FIRST_NAME = (
    "first_name",
    "Prénom",
    "الاسم الشخصي",
    "First name",
    "Prénoms",
    "Given name",
    "Given names",
    "الاسم",
)
_ORGANISATION = (
    "organisation",
    "Organisation",
    "المنظمة",
    "Organisation",
    "Association",
    "Structure",
    "Service",
    "Nom de l'association",
    "Nom de l'organisation",
    "Organisation d'origine",
    "Structure d'origine",
    "Organization",
    "الجمعية",
    "الهيئة",
)

FIELDS = {
    "organisations": (
        _c(
            "name",
            "Nom de l'association",
            "اسم الجمعية",
            "Name",
            "Nom",
            "Dénomination",
            "Raison sociale",
            "Nom de l'organisation",
            "Organisation",
            "Association",
            "Nom de la structure",
            "Organisation name",
            "Organization name",
            "Association name",
            "الاسم",
            "اسم المنظمة",
            "الجمعية",
            required=True,
        ),
        _c(
            "name_ar", "Nom en arabe", "الاسم بالعربية", "Arabic name", "Nom arabe", "الاسم بالعربي"
        ),
        _c(
            "acronym",
            "Sigle",
            "المختصر",
            "Acronym",
            "Acronyme",
            "Abréviation",
            "Short name",
            "الاختصار",
        ),
        _c(
            "registration_number",
            "N° de récépissé",
            "رقم الوصل",
            "Registration number",
            "Numéro de récépissé",
            "N° récépissé",
            "Récépissé",
            "N° d'enregistrement",
            "Numéro d'enregistrement",
            "N° d'agrément",
            "Numéro d'agrément",
            "Registration no",
            "رقم الوصل النهائي",
            "رقم التسجيل",
            "رقم الإيداع",
        ),
        _c(
            "kind",
            "Type",
            "النوع",
            "Kind",
            "Type d'organisation",
            "Nature",
            "Catégorie",
            "Type of organisation",
            "Organisation type",
            "نوع المنظمة",
        ),
        _c(
            "territory",
            "Commune",
            "الجماعة",
            "Commune",
            "Localité",
            "Territoire",
            "Ville",
            "Arrondissement",
            "Municipality",
            "Town",
            "Territory",
            "البلدية",
            "الجماعة الترابية",
            "المدينة",
            required=True,
        ),
        _c(
            "year_founded",
            "Date de création",
            "تاريخ التأسيس",
            "Year founded",
            "Année de création",
            "Création",
            "Date création",
            "Founded",
            "Date of creation",
            "سنة التأسيس",
        ),
        _c(
            "members_count",
            "Nombre de membres",
            "عدد الأعضاء",
            "Members",
            "Membres",
            "Nb membres",
            "Nombre d'adhérents",
            "Adhérents",
            "Effectif",
            "Number of members",
        ),
        _c(
            "women_led",
            "Dirigée par une femme",
            "تترأسها امرأة",
            "Women-led",
            "Présidée par une femme",
            "Présidente",
            "Women led",
        ),
        _c(
            "youth_led",
            "Dirigée par des jeunes",
            "يسيرها شباب",
            "Youth-led",
            "Association de jeunes",
            "Youth led",
        ),
        _c(*_PHONE),
        _c(*_EMAIL),
        _c(
            "contact_name",
            "Personne contact",
            "الشخص المسؤول",
            "Contact person",
            "Personne à contacter",
            "Président",
            "Présidente de l'association",
            "Nom du président",
            "Responsable",
            "الرئيس",
        ),
        _c("address", "Adresse", "العنوان", "Address", "Siège", "Siège social", "Adresse du siège"),
        _c("website", "Site web", "الموقع الإلكتروني", "Website", "Site internet", "Site"),
    ),
    "people": (
        _c(*_LAST_NAME, required=True),
        _c(*_FIRST_NAME, required=True),
        _c("sex", "Sexe", "الجنس", "Sex", "Genre", "Gender", "H/F", "F/M", "M/F"),
        _c(
            "birth_year",
            "Année de naissance",
            "سنة الازدياد",
            "Year of birth",
            "Date de naissance",
            "Né(e) en",
            "Né le",
            "Birth year",
            "Date of birth",
            "تاريخ الازدياد",
            "تاريخ الميلاد",
            "سنة الميلاد",
        ),
        _c(*_PHONE),
        _c(*_EMAIL),
        _c(
            "function",
            "Fonction",
            "الوظيفة",
            "Function",
            "Poste",
            "Qualité",
            "Titre",
            "Position",
            "Role",
            "Job title",
            "الصفة",
            "المهمة",
        ),
        _c(*_ORGANISATION, required=True),
    ),
    "enrolments": (
        _c(
            "cohort",
            "Code de la cohorte",
            "رمز الفوج",
            "Cohort code",
            "Cohorte",
            "Code cohorte",
            "Cohort",
            "Session de formation",
            "الفوج",
        ),
        _c(*_LAST_NAME, required=True),
        _c(*_FIRST_NAME, required=True),
        _c(*_PHONE),
        _c(*_EMAIL),
        _c(*_ORGANISATION),
    ),
    "attendance": (
        _c("code", "Code", "الرمز", "Code", "Code de la ligne", "Row code", "Réf", "Référence"),
        _c(*_LAST_NAME),
        _c(*_FIRST_NAME),
        _c(*_PHONE),
        _c(*_EMAIL),
        _c(*_ORGANISATION),
        _c(
            "status",
            "Présence (P/A/E)",
            "الحضور (ح/غ/م)",
            "Attendance (P/A/E)",
            "Présence",
            "Présent",
            "Statut",
            "P/A/E",
            "Émargement",
            "Attendance",
            "Status",
            "Present",
            "الحضور",
            required=True,
        ),
    ),
}

# The one column every rejected-rows sheet adds; it is ignored when the sheet comes back.
ERROR_HEADERS = ("Erreur", "Erreurs", "Error", "Errors", "الخطأ", "خطأ", "الأخطاء")


def header_key(text):
    """``" N° de Récépissé* "`` -> ``"nderecepisse"``: what two spellings of a header share."""
    return normalise_name(str(text or "")).replace(" ", "")


_KEYS = {
    kind: {
        header_key(text): column.name
        for column in columns
        for text in (column.name, column.fr, column.ar, column.en, *column.synonyms)
    }
    for kind, columns in FIELDS.items()
}
_ANY_KIND = {key for keys in _KEYS.values() for key in keys}
_ERROR_KEYS = {header_key(text) for text in ERROR_HEADERS}


def columns_of(kind, context=None):
    """The columns of ``kind``; a registered kind's may depend on ``context`` (a quiz's
    questions)."""
    if kind in FIELDS:
        return FIELDS[kind]
    from associations.sheets.kinds import kind_spec

    spec = kind_spec(kind)
    if spec is None:
        raise KeyError(kind)
    return tuple(spec.columns(context or {}))


def _keys_of(kind, columns):
    if kind in _KEYS:
        return _KEYS[kind]
    return {
        header_key(text): column.name
        for column in columns
        for text in (column.name, column.fr, column.ar, column.en, *column.synonyms)
    }


def is_known_header(text):
    """Whether ``text`` names a field of any kind (to find the header row under a title)."""
    return header_key(text) in _ANY_KIND


def is_error_header(text):
    return header_key(text) in _ERROR_KEYS


@dataclass
class HeaderMatch:
    """How a sheet's headers map to the fields of a kind."""

    fields: dict[int, str] = field(default_factory=dict)  # column index -> field name
    unmatched: list[str] = field(default_factory=list)  # file headers that name no field
    missing: list[str] = field(default_factory=list)  # required fields no column holds
    duplicated: list[str] = field(default_factory=list)  # fields two columns claim

    def header_of(self, field_name, headers):
        """The file's own header for ``field_name`` (for error messages)."""
        for index, name in self.fields.items():
            if name == field_name:
                return headers[index]
        return ""


def match_headers(kind, headers, mapping=None, context=None):
    """Match ``headers`` (the file's header row) to the fields of ``kind``. ``mapping`` ({file
    header: field name, or "" to ignore the column}) wins over the synonyms."""
    columns = columns_of(kind, context)
    known = _keys_of(kind, columns)
    valid = {column.name for column in columns}
    chosen = {header_key(k): v for k, v in (mapping or {}).items()}
    result = HeaderMatch()
    claimed = {}
    for index, header in enumerate(headers):
        if header in (None, "") or is_error_header(header):
            continue
        key = header_key(header)
        if key in chosen:
            name = chosen[key]
            if not name or name not in valid:
                continue
        else:
            name = known.get(key)
        if name is None:
            result.unmatched.append(str(header))
            continue
        if name in claimed:
            result.duplicated.append(str(header))
            continue
        claimed[name] = index
        result.fields[index] = name
    result.missing = [c.name for c in columns if c.required and c.name not in claimed]
    return result
