"""Cards -> other formats. Takes model values, never a database session."""
