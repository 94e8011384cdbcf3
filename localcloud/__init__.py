"""A local AWS for this project: moto's server plus the execution moto lacks.

See README.md for the Python API and the Terraform provider settings.
"""
from localcloud.clients import client
from localcloud.control import endpoint, is_running, start, status, stop, website_url
from localcloud.terraform import terraform_env

__all__ = ["client", "endpoint", "is_running", "start", "status", "stop", "terraform_env", "website_url"]
