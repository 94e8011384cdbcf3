"""Lambda entry points: parse, call logic, map errors (one module per function)."""
