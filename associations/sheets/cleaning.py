"""Cleaning widgets: what a cell of a real coordinator's sheet becomes, or a translated
``ValueError`` that says what to fix. A blank cell cleans to ``None`` (the stored value is kept).

Phones Excel turned into numbers are read back as digits; in scientific notation they are
refused when digits may have been lost (never a wrong number stored). Sex, dates, years, decimal
commas and yes/no are read in French, Arabic and English. Text that looks like a formula is kept
as plain text: nothing is ever evaluated."""

import datetime
import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export.widgets import Widget

from associations.models import Attendance, Organisation, Person
from associations.models import normalise_name as _normalise_name

_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


def _plain_letters():
    """Latin letters whose decomposition is an ASCII letter and accents (é -> e, Ç -> C)."""
    table = {}
    for code in range(0xC0, 0x250):
        parts = unicodedata.normalize("NFKD", chr(code))
        if parts[0].isascii() and all(unicodedata.combining(c) for c in parts[1:]):
            table[code] = parts[0]
    return table


_PLAIN_LETTERS = _plain_letters()


@functools.lru_cache(maxsize=4096)
def _normalise_cached(text):
    return _normalise_name(text)


def normalise_name(text):
    """``associations.models.normalise_name``, fast, with the same result: accented Latin
    letters are replaced by their base letter, then plain ASCII (most names) takes a short path;
    other scripts go the long way (cached, for organisations and communes that repeat)."""
    text = (text or "").translate(_PLAIN_LETTERS)
    if text.isascii():
        return " ".join(_NOT_ASCII_ALNUM.sub(" ", text.lower()).split())
    return _normalise_cached(text)


def blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value):
    """A cell as text: ``1234.0`` -> ``"1234"``, dates as dd/mm/yyyy."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


class TextWidget(Widget):
    def __init__(self, max_length, required=False):
        super().__init__()
        self.max_length, self.required = max_length, required

    def clean(self, value, row=None, **kwargs):
        # One pass over the text: blank exactly when no words are left.
        if value is None:
            text = ""
        else:
            text = " ".join((value if isinstance(value, str) else as_text(value)).split())
        if not text:
            if self.required:
                raise ValueError(_("This cell is empty: fill it in."))
            return None
        if len(text) > self.max_length:
            raise ValueError(
                _("Too long (%(length)s characters, at most %(max)s): shorten it.")
                % {"length": len(text), "max": self.max_length}
            )
        return text


_SCIENTIFIC = re.compile(r"^\s*([0-9]+)(?:[.,]([0-9]*))?\s*[eE]\s*\+?\s*([0-9]+)\s*$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-/()\u00a0\u202f]")
_WRITE_PHONE_AS_TEXT = gettext_noop(
    "Type the number again as text (put an apostrophe ' before it, or format the column as "
    "Text before typing)."
)


def _scientific_digits(text):
    """``"2,12612E+11"`` -> ``None`` (digits were lost), ``"2.12612345678E+11"`` ->
    ``"212612345678"``; ``False`` when ``text`` is not in scientific notation."""
    match = _SCIENTIFIC.match(text)
    if not match:
        return False
    whole, fraction, exponent = match.group(1), match.group(2) or "", int(match.group(3))
    fraction = fraction.rstrip("0")
    if len(fraction) > exponent:
        return None
    digits = whole + fraction
    kept = len(digits)
    total = len(whole) + exponent
    if kept < total:
        # Excel shows 6 significant digits: trailing zeros may be lost digits, never trust them.
        return None
    return digits


class PhoneWidget(Widget):
    """A phone number, stored as its digits (with a leading + when written)."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            # Cached: a row's number is cleaned when its key is read, then when it is stored.
            return _clean_phone_text(value)
        if value is None:
            return None
        if isinstance(value, bool):
            raise ValueError(_("This is not a phone number."))
        if isinstance(value, int | float):
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(
                    _("« %(value)s » is not a phone number. %(how)s")
                    % {"value": value, "how": _(_WRITE_PHONE_AS_TEXT)}
                )
            digits = str(int(value))
            return _checked_phone(digits, value)
        return _clean_phone_text(str(value))


@functools.lru_cache(maxsize=25_000)
def _clean_phone_text(text):
    """``PhoneWidget.clean`` of a text (a raised error is never cached: its message is
    translated when raised)."""
    text = text.strip()
    if not text:
        return None
    scientific = _scientific_digits(text)
    if scientific is None:
        raise ValueError(
            _(
                "The phone number « %(value)s » was turned into scientific notation by the "
                "spreadsheet and has lost digits: it cannot be stored. %(how)s"
            )
            % {"value": text, "how": _(_WRITE_PHONE_AS_TEXT)}
        )
    if scientific:
        return _checked_phone(scientific, text)
    plus = text.startswith("+")
    digits = _PHONE_SEPARATORS.sub("", text.lstrip("+"))
    if digits.endswith(".0") and digits[:-2].isdigit():
        digits = digits[:-2]
    if not digits.isdigit():
        raise ValueError(
            _("« %(value)s » is not a phone number: write one number, digits only.")
            % {"value": text}
        )
    return _checked_phone(("+" if plus else "") + digits, text)


def _checked_phone(phone, original):
    if not 6 <= len(phone.lstrip("+")) <= 15:
        raise ValueError(
            _("« %(value)s » is not a phone number (too short or too long).") % {"value": original}
        )
    return phone


def phone_key(phone):
    """What two spellings of a phone number share: its last 9 digits (``+212 6 12 34 56 78``
    and ``0612345678`` are one number, and so is Excel's ``612345678``)."""
    if not phone:
        return ""
    if phone.isdigit():  # what PhoneWidget stores, with or without its "+"
        return phone[-9:]
    if phone[0] == "+" and phone[1:].isdigit():
        return phone[1:][-9:]
    digits = "".join(c for c in phone if c.isdigit())
    return digits[-9:] if digits else ""


# The common shape of an address, which Django's validator accepts too: checked first because
# it is much faster; anything else goes to Django's validator.
_PLAIN_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)


@functools.lru_cache(maxsize=25_000)
def _valid_email(email):
    # Cached: a row's address is checked when its key is read, then again when it is stored.
    if _PLAIN_EMAIL.match(email):
        return True
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


class EmailWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        email = str(value).strip().lower()
        if email.startswith("mailto:"):
            email = email[7:]
        if not _valid_email(email):
            raise ValueError(
                _("« %(value)s » is not an e-mail address: correct it or leave the cell empty.")
                % {"value": value}
            )
        if len(email) > 254:
            raise ValueError(_("This e-mail address is too long."))
        return email


class URLWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        url = str(value).strip()
        if "://" not in url:
            url = "https://" + url
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValueError(
                _("« %(value)s » is not a web address: correct it or leave the cell empty.")
                % {"value": value}
            ) from None
        return url[:200]


def _words(*texts):
    return {normalise_name(t) for t in texts}


SEX_WORDS = {
    Person.Sex.FEMALE: _words(
        "F",
        "féminin",
        "feminin",
        "femme",
        "female",
        "woman",
        "fille",
        "Mme",
        "أنثى",
        "انثى",
        "امرأة",
        "إمرأة",
    ),
    Person.Sex.MALE: _words(
        "H",
        "M",
        "masculin",
        "homme",
        "male",
        "man",
        "garçon",
        "Mr",
        "ذكر",
        "رجل",
    ),
    Person.Sex.NOT_STATED: _words(
        "non précisé", "non renseigné", "inconnu", "not stated", "U", "-"
    ),
}
_SEX = {word: sex for sex, words in SEX_WORDS.items() for word in words}


@functools.lru_cache(maxsize=256)
def _sex_of(text):
    return _SEX.get(normalise_name(text))


class SexWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        sex = _sex_of(as_text(value))
        if sex is None:
            raise ValueError(
                _("« %(value)s » is not a sex: write F (female) or H (male), or leave it empty.")
                % {"value": value}
            )
        return sex


YES = _words("oui", "o", "yes", "y", "1", "x", "vrai", "true", "نعم")
NO = _words("non", "n", "no", "0", "faux", "false", "لا")


class YesNoWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, bool):
            return value
        word = normalise_name(as_text(value))
        if word in YES:
            return True
        if word in NO:
            return False
        raise ValueError(_("« %(value)s »: write Oui or Non.") % {"value": value})


def number(value):
    """A cell as a Decimal: ``"1 200"``, ``"12,5"`` (decimal comma), ``12.5``; ``None`` if
    it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = re.sub(r"[\s\u00a0\u202f]", "", str(value))
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


class CountWidget(Widget):
    """A whole number of people (members): ``"1 200"``, ``"35,0"``."""

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        amount = number(value)
        if amount is None or amount != amount.to_integral_value() or amount < 0:
            raise ValueError(_("« %(value)s » is not a whole number.") % {"value": value})
        if amount > 10_000_000:
            raise ValueError(_("« %(value)s » is too large.") % {"value": value})
        return int(amount)


EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")


def parse_date(value):
    """A date from a cell: a spreadsheet date, ``dd/mm/yyyy``, ``d/m/yyyy``, ``dd-mm-yy``,
    ``yyyy-mm-dd`` or an Excel serial day number; ``None`` if it is none of these."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = as_text(value)
    try:
        if match := _DATE.match(text):
            day, month, year = (int(g) for g in match.groups())
            if year < 100:
                year += 2000 if year <= datetime.date.today().year % 100 else 1900
            return datetime.date(year, month, day)
        if match := _ISO_DATE.match(text):
            return datetime.date(*(int(g) for g in match.groups()))
        serial = number(value)
        if serial is not None and 3000 < serial < 80000 and serial == int(serial):
            return EXCEL_EPOCH + datetime.timedelta(days=int(serial))
    except ValueError:
        return None
    return None


class YearWidget(Widget):
    """A year from a year (``1998``), a date (``12/05/1998``, a spreadsheet date) or an Excel
    day number."""

    def __init__(self, earliest=1900):
        super().__init__()
        self.earliest = earliest

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        # A text written as a date (most birth dates) is never a number: skip that attempt.
        as_date = isinstance(value, str) and _DATE.match(value.strip())
        amount = None if as_date else number(value)
        if amount is not None and amount == amount.to_integral_value() and amount < 3000:
            year = int(amount)
        else:
            date = parse_date(value)
            if date is None:
                raise ValueError(
                    _(
                        "« %(value)s » is not a year or a date: write the year (e.g. 1998) or the "
                        "date as dd/mm/yyyy."
                    )
                    % {"value": value}
                )
            year = date.year
        if not self.earliest <= year <= datetime.date.today().year:
            raise ValueError(_("%(year)s is not a possible year here: check it.") % {"year": year})
        return year


KIND_WORDS = {
    Organisation.Kind.ASSOCIATION: _words("association", "asso", "ong", "ngo", "جمعية"),
    Organisation.Kind.COOPERATIVE: _words("coopérative", "cooperative", "coop", "تعاونية"),
    Organisation.Kind.FEDERATION: _words(
        "fédération",
        "federation",
        "réseau",
        "reseau",
        "network",
        "union",
        "plateforme",
        "جامعة",
        "شبكة",
        "اتحاد",
    ),
    Organisation.Kind.ONE_STOP_DESK: _words(
        "guichet unique",
        "guichet unique de protection sociale",
        "gups",
        "one-stop desk",
        "one stop desk",
        "الشباك الوحيد",
    ),
    Organisation.Kind.SECTORAL_SERVICE: _words(
        "service social sectoriel",
        "sectoral social service",
        "sectoral service",
        "ssp",
    ),
    Organisation.Kind.DIRECTORATE: _words(
        "direction",
        "directorate",
        "direction départementale",
        "direction régionale",
        "direction provinciale",
        "مديرية",
    ),
    Organisation.Kind.OTHER_PUBLIC: _words(
        "service public", "public service", "other public", "administration", "إدارة"
    ),
}
for kind in Organisation.Kind:
    KIND_WORDS[kind] |= _words(kind.value)
_KINDS = {word: kind for kind, words in KIND_WORDS.items() for word in words}


class KindWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        kind = _KINDS.get(normalise_name(as_text(value)))
        if kind is None:
            raise ValueError(
                _(
                    "« %(value)s » is not a kind of organisation: write Association, Coopérative, "
                    "Fédération, Guichet unique, Service social sectoriel or Direction."
                )
                % {"value": value}
            )
        return kind


STATUS_WORDS = {
    Attendance.Status.PRESENT: _words(
        "P",
        "présent",
        "présente",
        "present",
        "oui",
        "x",
        "1",
        "ح",
        "حاضر",
        "حاضرة",
    ),
    Attendance.Status.ABSENT: _words("A", "absent", "absente", "non", "0", "غ", "غائب", "غائبة"),
    Attendance.Status.EXCUSED: _words(
        "E",
        "excusé",
        "excusée",
        "excused",
        "absent excusé",
        "absence excusée",
        "م",
        "معذور",
        "معذورة",
    ),
}
_STATUSES = {word: status for status, words in STATUS_WORDS.items() for word in words}


class AttendanceStatusWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        status = _STATUSES.get(normalise_name(as_text(value)))
        if status is None:
            raise ValueError(
                _(
                    "« %(value)s » is not an attendance mark: write P (present), A (absent) or E "
                    "(excused)."
                )
                % {"value": value}
            )
        return status


class LookupWidget(Widget):
    """A foreign key found by name or code in a dict built once per import (one query, not one
    per row). ``lookup(text) -> object`` raises ``ValueError`` with the user's message."""

    def __init__(self, lookup, required=False):
        super().__init__()
        self.lookup, self.required = lookup, required

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            if self.required:
                raise ValueError(_("This cell is empty: fill it in."))
            return None
        return self.lookup(as_text(value))
