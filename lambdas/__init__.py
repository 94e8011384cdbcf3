"""The Lambda functions: thin handlers, plain-Python logic, one data-access module per store."""
