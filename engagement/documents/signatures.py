"""Drawn signatures: checking the PNG a signature pad sends before it is kept or printed.

The checks here are the ones the PDF fetcher in `signature_pdf` applies before it lets a
signature's data URL through.
"""

import base64
import binascii
from io import BytesIO

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PNG_DATA_URL_PREFIX = "data:image/png;base64,"
MAX_SIGNATURE_BYTES = 200 * 1024
MAX_SIGNATURE_PIXELS = 4000 * 4000


class SignatureImageError(ValueError):
    """A drawn signature that is not a PNG we can keep, with what to do about it."""


def png_from_data_url(value: str) -> bytes:
    """The PNG bytes of a signature's data URL, or SignatureImageError."""
    if not value.startswith(PNG_DATA_URL_PREFIX):
        raise SignatureImageError(_("The drawn signature must be a PNG image: clear it and sign again"))
    encoded = value[len(PNG_DATA_URL_PREFIX) :]
    if len(encoded) > MAX_SIGNATURE_BYTES * 4 // 3 + 4:
        raise SignatureImageError(_("The drawn signature is too large: clear it and sign again"))
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureImageError(
            _("The drawn signature could not be read: clear it and sign again")
        ) from None
    if len(data) > MAX_SIGNATURE_BYTES:
        raise SignatureImageError(_("The drawn signature is too large: clear it and sign again"))
    try:
        with Image.open(BytesIO(data)) as image:
            if image.format != "PNG" or image.width * image.height > MAX_SIGNATURE_PIXELS:
                raise SignatureImageError(
                    _("The drawn signature must be a PNG image: clear it and sign again")
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise SignatureImageError(
            _("The drawn signature could not be read: clear it and sign again")
        ) from None
    return data
