"""Where the collection and the deck presets live: flag, then environment, then default."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studycards.collection.syncing import SyncPlaces

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


def sync_places(collection: Path) -> SyncPlaces:
    """Where `anki login` keeps the server's key (the user's config folder), and the private
    Anki collection that syncs for this studycards collection (one each, in the data folder)."""
    import hashlib

    from platformdirs import user_config_path, user_data_path

    from studycards.collection.syncing import SyncPlaces

    name = hashlib.sha256(str(collection.resolve()).encode()).hexdigest()[:16]
    return SyncPlaces(
        credentials=user_config_path("studycards", appauthor=False) / "anki-sync.json",
        mirror_folder=user_data_path("studycards", appauthor=False) / "anki-mirror" / name,
    )
