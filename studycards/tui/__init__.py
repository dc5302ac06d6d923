"""The review TUI (Textual). Thin: screens map keys to library calls and render."""
