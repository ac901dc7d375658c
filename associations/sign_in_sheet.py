"""The printable sign-in sheet of a session (WeasyPrint), in French or Arabic (right to left).

Each line carries a short code per enrolment that the attendance import reads back."""

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.http import int_to_base36
from django.utils.translation import get_language_bidi

_font_config = None
CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def enrolment_code(enrolment_pk):
    """``1234`` -> ``"YA-K"``: the enrolment id in base 36 and a check character, short enough
    to copy by hand from a paper sheet, and checked when read back."""
    body = int_to_base36(enrolment_pk).upper()
    check = sum((i + 1) * CODE_ALPHABET.index(c) for i, c in enumerate(body)) % 36
    return f"{body}-{CODE_ALPHABET[check]}"


def enrolment_pk_from_code(code):
    """The enrolment id a sheet's code names, or ``None`` if the code is mistyped."""
    body, _sep, check = code.strip().upper().partition("-")
    if not body or not all(c in CODE_ALPHABET for c in body):
        return None
    pk = int(body, 36)
    return pk if enrolment_code(pk) == f"{body}-{check}" else None


def _allowed_roots():
    roots = [Path(settings.MEDIA_ROOT)]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    roots += [Path(p) for p in getattr(settings, "STATICFILES_DIRS", [])]
    return [root.resolve() for root in roots if root]


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetsOnlyFetcher(URLFetcher):
        """Serves the project's own static and media files, and nothing else."""

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise ValueError(f"refused: {url}")
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not path.is_file() or not any(path.is_relative_to(r) for r in _allowed_roots()):
                raise ValueError(f"refused: {url}")
            return URLFetcherResponse(url, body=path.read_bytes())

    return AssetsOnlyFetcher()


def font_config():
    """One FontConfiguration for the process: a new one per document is slower and leaks."""
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def sign_in_sheet_pdf(*, session, rows):
    """The sign-in sheet of ``session`` for ``rows`` (enrolments), in the active language."""
    from weasyprint import HTML

    for enrolment in rows:
        enrolment.code = enrolment_code(enrolment.pk)
    html = render_to_string(
        "associations/sign_in_sheet.html",
        {"session": session, "rows": rows, "rtl": get_language_bidi()},
    )
    return HTML(string=html, url_fetcher=_fetcher()).write_pdf(font_config=font_config())
