"""invoke tasks, one module per area; tasks.py at the top collects them."""
