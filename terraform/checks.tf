# Checks that need more than one variable or a file; they fail `terraform plan` with what to do.
resource "terraform_data" "settings" {
  input = { target = var.target, recommender_backend = var.recommender_backend }

  lifecycle {
    precondition {
      condition     = terraform.workspace == var.target
      error_message = "This workspace (${terraform.workspace}) keeps the state of another target than ${var.target}: run `terraform workspace select -or-create ${var.target}` so local and AWS states never mix."
    }
    precondition {
      condition = !local.uses_personalize || alltrue([
        var.personalize_campaign_arn != "", var.personalize_tracking_id != "", var.personalize_users_dataset_arn != "",
        var.personalize_filter_arn != "",
      ])
      error_message = "recommender_backend = \"${var.recommender_backend}\" needs personalize_campaign_arn, personalize_tracking_id, personalize_users_dataset_arn and personalize_filter_arn (`invoke deploy --backend ${var.recommender_backend}` creates them and sets all four), or use recommender_backend = \"builtin\"."
    }
    precondition {
      condition     = fileexists(local.lambda_zip)
      error_message = "There is no Lambda package at ${local.lambda_zip}: run `invoke build --runtime ${var.lambda_runtime}` (it writes build/lambda/recommender-${var.lambda_runtime}.zip), or set lambda_zip."
    }
    precondition {
      condition     = fileexists("${var.model_dir}/manifest.json")
      error_message = "There is no trained model in ${var.model_dir} (manifest.json + model.npz): run `invoke train`, or set model_dir."
    }
    precondition {
      condition     = (var.site_domain == "") == (var.site_certificate_arn == "")
      error_message = "site_domain and site_certificate_arn go together: set both (a custom domain with its us-east-1 ACM certificate) or neither."
    }
    precondition {
      condition     = var.target == "aws" || var.site_domain == ""
      error_message = "site_domain applies to the aws target (CloudFront); the local cloud serves the site at its own address: leave it empty."
    }
  }
}
