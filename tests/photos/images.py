"""Real image files made in the test: JPEGs with EXIF (GPS, orientation), PNG bombs, HEIC headers, fakes."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def jpeg(width=64, height=48, *, orientation: int | None = None, gps: bool = False, colour=(200, 30, 30)) -> bytes:
    """A JPEG; with `gps` its EXIF holds a position (36.56 N, 111.71 E: Huozhou) and the camera's make."""
    image = Image.new("RGB", (width, height), colour)
    exif = Image.Exif()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if gps:
        exif[MAKE] = "FieldCam"
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (36.0, 33.0, 36.0), 3: "E", 4: (111.0, 42.0, 36.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def halves(*, orientation: int) -> bytes:
    """40 wide, 20 high: the left half red, the right half blue, with this EXIF orientation."""
    image = Image.new("RGB", (40, 20), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


def png_bomb(side: int = 12_000) -> bytes:
    """A one-bit PNG of side × side pixels: a few kilobytes that decode to hundreds of megabytes."""
    out = io.BytesIO()
    Image.new("1", (side, side), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def heic_header() -> bytes:
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
