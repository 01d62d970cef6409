"""What services.photos.photo_prepare keeps of a photo: upright pixels in a new JPEG, no EXIF, no position;
and what it refuses, each with a message naming the file."""

import io

import pytest
from PIL import Image

from fieldwork.services.photos import PhotoRefused, photo_prepare
from tests.photos.images import GPS_IFD, halves, heic_header, jpeg, png_bomb, upload


def opened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def test_exif_with_a_gps_position_in_nothing_out():
    sent = jpeg(gps=True, orientation=1)
    assert opened(sent).getexif().get_ifd(GPS_IFD)  # the test's photo does carry a position
    prepared = photo_prepare(upload(sent))
    for content in (prepared.image, prepared.thumbnail):
        image = opened(content)
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info
        assert b"Exif" not in content and b"FieldCam" not in content and b"GPS" not in content


@pytest.mark.parametrize("orientation", [6, 8, 3])
def test_a_turned_photo_is_stored_upright(orientation):
    prepared = photo_prepare(upload(halves(orientation=orientation)))
    image = opened(prepared.image).convert("RGB")
    if orientation in (6, 8):
        assert (prepared.width, prepared.height) == (20, 40) == image.size
    else:
        assert image.size == (40, 20)
    red, blue = (255, 0, 0), (0, 0, 255)

    def near(pixel, colour):
        return all(abs(a - b) < 60 for a, b in zip(pixel, colour, strict=True))

    # stored: red on the left. 6 (turn clockwise) puts it on top, 8 at the bottom, 3 on the right
    first, last = {6: (red, blue), 8: (blue, red), 3: (blue, red)}[orientation]
    if orientation in (6, 8):
        assert near(image.getpixel((10, 3)), first) and near(image.getpixel((10, 36)), last)
    else:
        assert near(image.getpixel((3, 10)), first) and near(image.getpixel((36, 10)), last)


def test_a_large_photo_is_scaled_and_a_thumbnail_made(settings):
    settings.FIELDWORK_PHOTO_MAX_SIDE = 800
    prepared = photo_prepare(upload(jpeg(3000, 2000)))
    assert (prepared.width, prepared.height) == (800, 533)
    assert max(opened(prepared.thumbnail).size) == settings.FIELDWORK_PHOTO_THUMBNAIL_SIDE


def test_png_and_webp_are_taken_and_stored_as_jpeg():
    for kind in ("PNG", "WEBP"):
        out = io.BytesIO()
        Image.new("RGBA", (30, 30), (0, 128, 0, 128)).save(out, kind)
        prepared = photo_prepare(upload(out.getvalue(), name=f"p.{kind.lower()}", content_type=f"image/{kind.lower()}"))
        assert opened(prepared.image).format == "JPEG"


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    bomb = png_bomb()
    assert len(bomb) < 100_000
    with pytest.raises(PhotoRefused, match="too many pixels"):
        photo_prepare(upload(bomb, name="bomb.png", content_type="image/png"))


def test_the_pixel_limit_is_a_setting(settings):
    settings.FIELDWORK_PHOTO_MAX_PIXELS = 1000
    with pytest.raises(PhotoRefused, match="too many pixels"):
        photo_prepare(upload(jpeg(64, 48)))


def test_a_file_that_is_not_an_image_but_named_jpg_is_refused():
    with pytest.raises(PhotoRefused, match=r"“notes\.jpg” is not a photo that can be read here"):
        photo_prepare(upload(b"%PDF-1.7 this is a document, not a photo" * 10, name="notes.jpg"))


def test_a_gif_is_not_among_the_types_taken():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(PhotoRefused, match="JPEG, PNG or WebP"):
        photo_prepare(upload(out.getvalue(), name="moving.jpg"))


def test_heic_is_refused_with_its_own_message():
    with pytest.raises(PhotoRefused, match="HEIC/HEIF"):
        photo_prepare(upload(heic_header(), name="IMG_0001.HEIC", content_type="image/heic"))


def test_a_truncated_jpeg_is_refused():
    whole = jpeg(400, 300)
    with pytest.raises(PhotoRefused, match="damaged or incomplete"):
        photo_prepare(upload(whole[: len(whole) // 2], name="cut.jpg"))


def test_a_photo_over_the_byte_limit_is_refused(settings):
    settings.FIELDWORK_PHOTO_MAX_BYTES = 1000
    with pytest.raises(PhotoRefused, match="at most 1000"):
        photo_prepare(upload(jpeg(400, 300)))
