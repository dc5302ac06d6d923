"""`studycards check`: is the collection sound, and can what is wrong be repaired safely?"""

from __future__ import annotations

from pathlib import Path

from studycards.errors import CorruptCollectionError
from studycards.model import Finding
from studycards.store.check import NOT_REPAIRABLE, check
from studycards.store.db import opened


def check_collection(db_path: Path, repair: bool = False) -> list[Finding]:
    """The problems found in the collection (none: it is sound), repaired where that is safe
    when `repair` is given. Without it, nothing is written."""
    try:
        with opened(db_path) as conn:
            return check(conn, repair)
    except CorruptCollectionError as err:  # damaged where opening it reads
        return [Finding(f"cannot be opened (SQLite says: {err.reason}){NOT_REPAIRABLE}", 1, None)]
