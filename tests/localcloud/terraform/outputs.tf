output "bucket" {
  description = "Website bucket name."
  value       = aws_s3_bucket.site.bucket
}

output "table" {
  description = "DynamoDB table name."
  value       = aws_dynamodb_table.items.name
}

output "functions" {
  description = "Lambda function names."
  value       = [aws_lambda_function.items.function_name, aws_lambda_function.steps.function_name]
}

output "standard_arn" {
  description = "ARN of the STANDARD state machine."
  value       = aws_sfn_state_machine.standard.arn
}

output "express_arn" {
  description = "ARN of the EXPRESS state machine."
  value       = aws_sfn_state_machine.express.arn
}

output "rest_api_id" {
  description = "Id of the API built from resources and methods."
  value       = aws_api_gateway_rest_api.classic.id
}

output "openapi_api_id" {
  description = "Id of the API built from an OpenAPI body."
  value       = aws_api_gateway_rest_api.openapi.id
}

output "stage" {
  description = "Stage name of both APIs."
  value       = "test"
}
