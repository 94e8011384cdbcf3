"""The default dataset's generator (a persona mixture) and its exact-posterior oracle."""
