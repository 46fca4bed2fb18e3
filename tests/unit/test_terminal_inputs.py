from pathlib import Path

import pytest

from bot.terminal.inputs import shared_thing
from handlers.types import Location, Media


def test_a_photo_is_attached_by_its_path(tmp_path: Path):
    photo = tmp_path / "zbel.jpg"
    photo.write_bytes(b"\xff\xd8" + b"0" * 100)
    shared = shared_thing(f":photo {photo}")
    assert shared == Media("photo", str(photo.resolve()), "image/jpeg", 102, "zbel.jpg")


def test_a_place_is_shared_by_its_coordinates():
    assert shared_thing(":location 30.4703, -8.877") == Location(30.4703, -8.877)


@pytest.mark.parametrize(
    "line", [":photo /no/such/file.jpg", ":location 30.47", ":location 95 10", ":location a b"]
)
def test_wrong_paths_and_places_are_refused(line: str):
    with pytest.raises(ValueError):
        shared_thing(line)


def test_other_lines_are_not_attachments():
    assert shared_thing("salam, kayn zbel") is None
    assert shared_thing(":photos are nice") is None
