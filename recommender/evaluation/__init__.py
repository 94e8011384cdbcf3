"""Evaluation: protocols and metrics, batch scoring of a model, the deployed API's client."""
