"""Photos on a phone: a ~4 MB camera photo is scaled on the phone to a few hundred KB before it is sent,
stored upright without its EXIF, shown as a thumbnail on the concern page, and the full image opens on tap.
Without JavaScript the same input sends the photo whole, and the server scales it."""

import io
import os

import pytest
from PIL import Image
from playwright.sync_api import expect

from fieldwork.models import Concern, Photo, Visit
from fieldwork.services import concerns as concern_services
from fieldwork.services.photos import photo_storage
from tests.e2e.conftest import PHONE, shot, sign_in
from tests.photos.images import GPS_IFD, MAKE, ORIENTATION

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def photo_folder(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def camera_photo() -> bytes:
    """What a phone's camera writes: 4000×3000, landscape pixels to be turned (EXIF orientation 6), with
    the camera's make and a GPS position; some 4 MB of JPEG."""
    width, height = 4000, 3000
    base = Image.frombytes("RGB", (80, 60), os.urandom(80 * 60 * 3)).resize((width, height), Image.Resampling.BICUBIC)
    image = Image.blend(base, Image.effect_noise((width, height), 40).convert("RGB"), 0.25)
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "FieldCam"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (36.0, 33.0, 36.0), 3: "E", 4: (111.0, 42.0, 36.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, exif=exif.tobytes())
    return out.getvalue()


def stored(name: str) -> bytes:
    with photo_storage().open(name) as handle:
        return handle.read()


def test_a_resolution_photo_scaled_on_the_phone(page, live_server, concern, cadre_a, console_errors):
    concern_services.concern_start(concern=concern, by=cadre_a, version=concern.version)
    original = camera_photo()
    assert 3_000_000 < len(original) < 6_000_000
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "cadre_a")
    page.goto(f"{live_server.url}{concern.get_absolute_url()}")
    page.get_by_text("Mark resolved", exact=True).first.click()
    page.get_by_label("What was done").fill("Salt is spread on the stairs every morning.")
    page.set_input_files(
        "#resolve-photos", files=[{"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": original}]
    )

    preview = page.locator("[data-photo-preview]")
    expect(preview).to_have_count(1, timeout=30_000)
    before = int(preview.get_attribute("data-photo-bytes-before"))
    after = int(preview.get_attribute("data-photo-bytes-after"))
    assert before == len(original)
    assert 100_000 < after < 700_000, after  # a few hundred KB leave the phone
    sent = page.evaluate(
        "() => { const f = document.querySelector('#resolve-photos').files; return [f.length, f[0].size, f[0].type]; }"
    )
    assert sent == [1, after, "image/jpeg"]  # the input itself now holds the scaled photo (what offline entry reads)
    print(f"photo on the phone: {before} bytes before scaling, {after} after")

    page.get_by_role("button", name="Mark resolved").click()
    thumb = page.locator("[data-photos-stage=after] img[data-photo-thumb]")
    expect(thumb).to_be_visible(timeout=30_000)
    thumb.scroll_into_view_if_needed()  # thumbnails load lazily
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=thumb.element_handle(), timeout=15_000)

    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESOLVED
    photo = Photo.objects.get()
    content = stored(photo.file)
    assert photo.bytes == len(content) < after * 1.5
    image = Image.open(io.BytesIO(content))
    assert image.width < image.height and max(image.size) == 1600  # upright: orientation 6 applied on the phone
    assert dict(image.getexif()) == {} and b"FieldCam" not in content
    thumbnail = len(stored(photo.thumbnail))
    print(f"stored on the server: {photo.bytes} bytes, {photo.width}×{photo.height}; thumbnail {thumbnail} bytes")

    shot(page, "phone-concern-photo")  # docs/screenshots/phone-concern-photo.png is a copy of one run's

    assert console_errors == []
    thumb.click()  # the full image on tap: a plain link
    page.wait_for_url(f"{live_server.url}/photos/{photo.pk}/")
    full = page.evaluate(
        "() => { const img = document.querySelector('img'); return img && [img.naturalWidth, img.naturalHeight]; }"
    )
    assert full == [photo.width, photo.height]
    # the browser's own image page: no policy violation (it asks for /favicon.ico, which the app does not serve)
    assert [error for error in console_errors if "favicon" not in error and "404" not in error] == []


def test_without_javascript_the_photo_goes_whole_and_the_server_scales_it(browser, live_server, cadre_a, team_a):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server, "cadre_a")
    page.goto(f"{live_server.url}/visits/new/")
    page.get_by_label("People reached").fill("3")
    page.get_by_label("On-site survey").check()
    page.get_by_label("What was heard").fill("Looked at the cable trench.")
    original = camera_photo()
    page.set_input_files("#id_photos", files=[{"name": "trench.jpg", "mimeType": "image/jpeg", "buffer": original}])
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("Visit saved.")).to_be_visible(timeout=30_000)
    photo = Visit.objects.get().photos.get()
    assert (photo.width, photo.height) == (1536, 2048)  # upright, scaled to FIELDWORK_PHOTO_MAX_SIDE by the server
    assert photo.bytes < len(original) / 3
    expect(page.locator("img[data-photo-thumb]")).to_have_count(1)
    print(f"without JavaScript: {len(original)} bytes sent, {photo.bytes} stored")
    context.close()
