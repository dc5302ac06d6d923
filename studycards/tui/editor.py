"""A card's source file opened in the user's editor, the terminal handed over to it until it
closes: the review screen's `e` and the browser's."""

from __future__ import annotations

import os
import shlex
import subprocess
from typing import Any

from textual.app import App, SuspendNotSupported


def edit_file(app: App[Any], path: str) -> None:
    """Run `$VISUAL` (else `$EDITOR`, else vi) on `path` and wait for it to close."""
    command = [*shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"), path]
    try:
        with app.suspend():
            subprocess.run(command, check=False)
    except SuspendNotSupported:  # headless (tests): nothing to hand the terminal back from
        subprocess.run(command, check=False)
    app.refresh()
