"""Start-up stays light: only what showing a card needs is loaded before the first card."""

from __future__ import annotations

import subprocess
import sys


def test_nothing_heavy_loads_before_the_first_card(collection):
    """The importer, YAML and genanki are not needed to show a card; they must not slow it."""
    probe = (
        "import asyncio, sys\n"
        "from datetime import datetime\n"
        "from pathlib import Path\n"
        "from studycards.tui.app import make_app\n"
        "async def main():\n"
        "    app = make_app(Path(sys.argv[1]), lambda: datetime.now().astimezone(), 'Oncology')\n"
        "    async with app.run_test() as pilot:\n"
        "        while getattr(app.screen, 'card', None) is None:\n"
        "            await pilot.pause(0.01)\n"
        "        heavy = ('genanki', 'yaml', 'frontmatter', 'studycards.collection.importing',\n"
        "                 'studycards.export', 'studycards.collection.exporting')\n"
        "        print(sorted(m for m in heavy if m in sys.modules))\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(collection)], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
