"""Data access: one small module per store (S3 model, results, events, workflow)."""
