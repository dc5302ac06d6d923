"""Screens: the deck list, a review session, and the end of a session."""
