"""How a card is known in Anki: its note type's id and its note's GUID, a hash of the card's
identity. The export writes them, and a pull of Anki's reviews and a sync map back through them
(without loading genanki)."""

from __future__ import annotations

import hashlib

MODEL_ID = 1764010421  # the studycards note type (frozen: see export.anki)


def note_guid(key: str) -> str:
    """The note's GUID: a hash of the card's identity (frozen: changing it duplicates notes)."""
    return hashlib.blake2b(key.encode(), digest_size=10, person=b"studycards").hexdigest()
