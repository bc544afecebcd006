"""Images for the attachment tests: a JPEG carrying GPS in its EXIF, a plain PNG."""

from __future__ import annotations

import io


def jpeg_with_gps(color: str = "red") -> bytes:
    """Return a small JPEG whose EXIF carries a GPS position (personal data to strip)."""
    from PIL import Image

    image = Image.new("RGB", (64, 48), color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (30.0, 39.0, 1.0)
    gps[3], gps[4] = "E", (104.0, 3.0, 2.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(out, "PNG")
    return out.getvalue()
