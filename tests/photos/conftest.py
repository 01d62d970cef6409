"""Photos are stored in a folder of the test's own, as the photo storage of settings.STORAGES."""

import pytest


@pytest.fixture(autouse=True)
def photo_folder(settings, tmp_path):
    folder = tmp_path / "photos"
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(folder)}},
    }
    return folder
