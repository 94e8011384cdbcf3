"""API Gateway REST: invocation (routing, validation, mapping templates, integrations) and the OpenAPI bodies."""
