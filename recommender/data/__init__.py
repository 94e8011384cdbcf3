"""Datasets: Amazon Personalize CSVs (read, write, validate), MovieLens-100K, summaries."""
