output "id" {
  description = "REST API id."
  value       = aws_api_gateway_rest_api.this.id
}

output "name" {
  description = "REST API name."
  value       = aws_api_gateway_rest_api.this.name
}

output "url" {
  description = "Base URL of the deployed stage (no trailing slash)."
  value       = var.target == "aws" ? aws_api_gateway_stage.this.invoke_url : "${var.local_endpoint}/restapis/${aws_api_gateway_rest_api.this.id}/${aws_api_gateway_stage.this.stage_name}/_user_request_"
}
