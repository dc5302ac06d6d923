"""The `studycards` command (typer): options in, library calls, output rendered with rich."""
