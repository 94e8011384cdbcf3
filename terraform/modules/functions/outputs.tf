output "api" {
  description = "The api function: name, ARN and invoke ARN (for API Gateway)."
  value = {
    name       = aws_lambda_function.api.function_name
    arn        = aws_lambda_function.api.arn
    invoke_arn = aws_lambda_function.api.invoke_arn
  }
}

output "steps" {
  description = "The workflow's step functions by step (validate, recommend): name and ARN."
  value       = { for key, fn in aws_lambda_function.step : key => { name = fn.function_name, arn = fn.arn } }
}

output "role_names" {
  description = "IAM role of each function."
  value       = { for key, role in aws_iam_role.this : key => role.name }
}
