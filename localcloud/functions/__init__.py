"""Lambda: Invoke runs the deployed zip in warm worker processes behind a Lambda Runtime API."""
