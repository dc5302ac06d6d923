"""Widgets that each render one thing: a card, the grade buttons, the session status."""
