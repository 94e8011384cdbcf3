output "state_machine" {
  description = "The recommendation workflow: name and ARN."
  value       = { name = aws_sfn_state_machine.this.name, arn = aws_sfn_state_machine.this.arn }
}

output "role_name" {
  description = "Name of the workflow's IAM role."
  value       = aws_iam_role.this.name
}
