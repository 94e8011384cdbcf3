output "id" {
  description = "REST API id."
  value       = aws_api_gateway_rest_api.this.id
}

output "stage_name" {
  description = "Name of the deployed stage."
  value       = aws_api_gateway_stage.this.stage_name
}

output "invoke_url" {
  description = "AWS's URL of the deployed stage (https://ID.execute-api.REGION.amazonaws.com/STAGE)."
  value       = aws_api_gateway_stage.this.invoke_url
}
