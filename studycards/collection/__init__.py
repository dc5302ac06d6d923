"""The library the CLI and the TUI call: import, review, export, browse a collection."""
