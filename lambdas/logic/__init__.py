"""Plain Python the handlers call; unit tests call it without AWS."""
