"""What evidence files are accepted: documents by extension and size, photos checked by Pillow
for their real format, size and pixel count. Every refusal says what to do instead."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

DOCUMENT_EXTENSIONS = {".pdf", ".docx", ".xlsx", ".odt", ".ods", ".txt", ".csv"}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_IMAGE_PIXELS = 24_000_000  # 6000 x 4000: a phone photo passes, a decompression bomb does not


def evidence_file_check(upload):
    """Raise ``ValidationError`` with a clear message unless ``upload`` is an accepted file."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    allowed = ", ".join(sorted(DOCUMENT_EXTENSIONS | IMAGE_EXTENSIONS))
    if extension not in DOCUMENT_EXTENSIONS | IMAGE_EXTENSIONS:
        raise ValidationError(
            _("Files of type “%(extension)s” are not accepted. Send one of: %(allowed)s.")
            % {"extension": extension or "?", "allowed": allowed}
        )
    if extension in IMAGE_EXTENSIONS:
        _image_check(upload, name)
    elif upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s: documents may be %(max)s at most.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(MAX_DOCUMENT_BYTES),
            }
        )


def _image_check(upload, name):
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s: photos may be %(max)s at most. Send a smaller photo.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(MAX_IMAGE_BYTES),
            }
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
            image_format = image.format
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _(
                        "“%(name)s” is %(width)s × %(height)s pixels: photos may have "
                        "%(max)s million pixels at most. Send a smaller photo."
                    )
                    % {
                        "name": name,
                        "width": width,
                        "height": height,
                        "max": MAX_IMAGE_PIXELS // 1_000_000,
                    }
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        if isinstance(error, Image.DecompressionBombError):
            raise ValidationError(_("“%(name)s” is too large an image.") % {"name": name}) from None
        raise ValidationError(
            _("“%(name)s” is not a readable photo (JPEG, PNG or WebP).") % {"name": name}
        ) from None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(
            _("“%(name)s” is not a readable photo (JPEG, PNG or WebP).") % {"name": name}
        )
