"""Photos made through the service, as a form would after its checks."""

from fieldwork.services import photos as photo_services
from tests.photos.images import jpeg, upload


def prepared(count=1, **kwargs):
    return [photo_services.photo_prepare(upload(jpeg(**kwargs), f"{n}.jpg")) for n in range(count)]


def photo_on(*, by, visit=None, action=None, concern=None, stage="", shareable=False):
    [photo] = photo_services.photos_add(
        by=by, photos=prepared(), visit=visit, action=action, concern=concern, stage=stage
    )
    if shareable:
        photo.shareable = True
        photo.save(update_fields=["shareable"])
    return photo


def body(response) -> bytes:
    """A photo view's streamed body, its file closed (response.close() would also close the test's database)."""
    content = b"".join(response.streaming_content)
    for close in response._resource_closers:
        close()
    return content
