"""Imports point one way: the domain and the store never load the CLI's or the TUI's libraries."""

from __future__ import annotations

import subprocess
import sys


def test_domain_and_store_import_no_ui_library():
    probe = (
        "import sys\n"
        "import studycards.collection.importing, studycards.convert, studycards.sources.presets\n"
        "import studycards.scheduler.states, studycards.store.cards, studycards.store.reviews\n"
        "import studycards.store.due, studycards.store.html_cache, studycards.store.decks\n"
        "import studycards.collection.exporting, studycards.export.anki\n"
        "import studycards.collection.reviewing\n"
        "print(sorted(m for m in ('typer', 'rich', 'textual', 'click') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_scheduler_needs_no_database_library():
    probe = (
        "import sys\nimport studycards.scheduler.states, studycards.scheduler.day\n"
        "print(sorted(m for m in ('sqlite3', 'sqlalchemy', 'sqlmodel') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
