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


def sync_login_path() -> Path:
    """Where `anki login` keeps the sync server's key: the user's config folder."""
    from platformdirs import user_config_path

    return user_config_path("studycards", appauthor=False) / "anki-sync.json"


def mirror_folder(collection: Path) -> Path:
    """The private Anki collection that syncs for this studycards collection (one each)."""
    import hashlib

    from platformdirs import user_data_path

    name = hashlib.sha256(str(collection.resolve()).encode()).hexdigest()[:16]
    return user_data_path("studycards", appauthor=False) / "anki-mirror" / name
