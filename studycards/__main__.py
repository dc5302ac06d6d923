"""Allow `python -m studycards`."""

from studycards.cli.main import main

main()
