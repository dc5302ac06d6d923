"""How a card is known in Anki: its note's GUID, a hash of the card's identity. The export
writes it; a pull of Anki's reviews and a sync map back through it (without loading genanki)."""

from __future__ import annotations

import hashlib


def note_guid(key: str) -> str:
    """The note's GUID: a hash of the card's identity (frozen: changing it duplicates notes)."""
    return hashlib.blake2b(key.encode(), digest_size=10, person=b"studycards").hexdigest()
