"""A local AWS for this project: moto's server plus the execution moto lacks.

See README.md for the Python API and the Terraform provider settings.
"""
from localcloud.control import endpoint, is_running, start, status, stop, website_url
from localcloud.settings import DEFAULT_PORT
from localcloud.terraform import provider_endpoints, provider_settings, terraform_env

__all__ = ["DEFAULT_PORT", "endpoint", "is_running", "provider_endpoints", "provider_settings", "start",
           "status", "stop", "terraform_env", "website_url"]
