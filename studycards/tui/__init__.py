"""The review TUI (Textual). Thin: screens map keys to `studycards.study` calls and render."""
