output "name" {
  description = "Function name."
  value       = aws_lambda_function.this.function_name
}

output "arn" {
  description = "Function ARN."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "ARN API Gateway invokes the function with."
  value       = aws_lambda_function.this.invoke_arn
}

output "role_name" {
  description = "Name of the function's IAM role."
  value       = aws_iam_role.this.name
}
