"""Check an uploaded file by its content (never its name) and strip what it must not carry."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from hotline.core.errors import FieldError

# A decompression bomb is refused before it is decoded.
Image.MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
}


@dataclass(frozen=True)
class CleanFile:
    """A file ready to store: checked type, safe name, metadata-free bytes."""

    filename: str
    content_type: str
    data: bytes


def sniff(data: bytes) -> str | None:
    """Return the content type the file's first bytes prove, or None."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[4:8] == b"ftyp":
        return "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    return None


def _bad(field: str, message: str) -> FieldError:
    return FieldError(field, message, reason="invalid_file")


def reencode(data: bytes, content_type: str) -> bytes:
    """Decode and re-encode an image: EXIF (GPS included) and other metadata are dropped."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if content_type == "image/gif":
            out = io.BytesIO()
            image.save(out, "GIF", save_all=getattr(image, "is_animated", False))
            return out.getvalue()
        upright = ImageOps.exif_transpose(image)
        if content_type == "image/jpeg" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        out = io.BytesIO()
        options = {"quality": 85} if content_type in ("image/jpeg", "image/webp") else {}
        upright.save(out, IMAGE_FORMATS[content_type], **options)
        return out.getvalue()


def safe_name(name: str | None, content_type: str) -> str:
    """Return a display name without paths or odd characters, with the true extension."""
    base = re.sub(r"[\\/]+", "/", name or "").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^\w\-. ]+", "_", stem).strip(" ._")[:80] or "file"
    return f"{stem}.{EXTENSIONS[content_type]}"


def clean(data: bytes, name: str | None, max_bytes: int, field: str = "file") -> CleanFile:
    """Check size and type by content, re-encode images; raise a 4xx naming ``field``."""
    if not data:
        raise _bad(field, "the file is empty")
    if len(data) > max_bytes:
        raise _bad(field, f"the file is larger than {max_bytes // (1024 * 1024)} MB")
    content_type = sniff(data)
    if content_type is None:
        raise _bad(field, "only photos (JPEG, PNG, GIF, WebP), MP4 videos and PDFs are accepted")
    if content_type in IMAGE_FORMATS:
        try:
            data = reencode(data, content_type)
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            raise _bad(field, "the image cannot be read") from None
    return CleanFile(safe_name(name, content_type), content_type, data)
