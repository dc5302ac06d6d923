"""Where the collection and the deck presets live: flag, then environment, then default."""

from __future__ import annotations

import os
from pathlib import Path

COLLECTION_ENV = "STUDYCARDS_COLLECTION"
PRESETS_ENV = "STUDYCARDS_DECKS"


def collection_path(flag: Path | None = None) -> Path:
    """`--collection`, else $STUDYCARDS_COLLECTION, else the user data dir."""
    if flag is not None:
        return flag.expanduser()
    if value := os.environ.get(COLLECTION_ENV):
        return Path(value).expanduser()
    from platformdirs import user_data_path

    return user_data_path("studycards", appauthor=False) / "collection.sqlite"


def presets_folder(flag: Path | None = None) -> Path:
    """`--presets`, else $STUDYCARDS_DECKS, else `decks/` in the current folder."""
    if flag is not None:
        return flag.expanduser()
    return Path(os.environ.get(PRESETS_ENV) or "decks").expanduser()
