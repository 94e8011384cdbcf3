terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60, < 6.0"
    }
  }

  # One state per target: `terraform init -backend-config=workspace_dir=../build/terraform`
  # and the workspace named after the target (build/terraform/<target>/terraform.tfstate).
  backend "local" {}
}
