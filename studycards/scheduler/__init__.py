"""SM-2 scheduling as pure functions over plain data: no database, no clock, no randomness."""
