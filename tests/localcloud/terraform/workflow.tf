data "aws_iam_policy_document" "sfn_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "sfn" {
  name               = "${var.name}-sfn"
  assume_role_policy = data.aws_iam_policy_document.sfn_assume.json
}

locals {
  retry = [{ ErrorEquals = ["States.TaskFailed"], MaxAttempts = 1, IntervalSeconds = 1 }]
}

resource "aws_sfn_state_machine" "standard" {
  name     = "${var.name}-standard"
  role_arn = aws_iam_role.sfn.arn
  type     = "STANDARD"
  definition = jsonencode({
    StartAt = "Double"
    States = {
      Double = {
        Type       = "Task"
        Resource   = aws_lambda_function.steps.arn
        ResultPath = "$.doubled"
        Retry      = local.retry
        Next       = "Store"
      }
      Store = {
        Type     = "Task"
        Resource = "arn:aws:states:::dynamodb:putItem"
        Parameters = {
          TableName = aws_dynamodb_table.items.name
          Item = {
            pk     = { "S.$" = "$.key" }
            value  = { "S.$" = "States.Format('{}', $.doubled.n)" }
            source = { S = "standard" }
          }
        }
        Retry = local.retry
        End   = true
      }
    }
  })
}

resource "aws_sfn_state_machine" "express" {
  name     = "${var.name}-express"
  role_arn = aws_iam_role.sfn.arn
  type     = "EXPRESS"
  definition = jsonencode({
    StartAt = "Double"
    States = {
      Double = {
        Type       = "Task"
        Resource   = "arn:aws:states:::lambda:invoke"
        Parameters = { FunctionName = aws_lambda_function.steps.arn, "Payload.$" = "$" }
        OutputPath = "$.Payload"
        Retry      = local.retry
        Next       = "Label"
      }
      Label = {
        Type       = "Task"
        Resource   = "arn:aws:states:::lambda:invoke"
        Parameters = { FunctionName = aws_lambda_function.steps.arn, "Payload" = { op = "label", "n.$" = "$.n" } }
        OutputPath = "$.Payload"
        Retry      = local.retry
        End        = true
      }
    }
  })
}
