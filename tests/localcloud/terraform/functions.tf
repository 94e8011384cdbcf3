data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  name               = "${var.name}-lambda"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "items" {
  statement {
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem"]
    resources = [aws_dynamodb_table.items.arn]
  }
}

resource "aws_iam_role_policy" "items" {
  name   = "items"
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.items.json
}

resource "aws_lambda_function" "items" {
  function_name    = "${var.name}-items"
  role             = aws_iam_role.lambda.arn
  runtime          = "python3.11"
  handler          = "items.handler"
  filename         = var.items_zip
  source_code_hash = filebase64sha256(var.items_zip)
  timeout          = 10
  environment {
    variables = { TABLE_NAME = aws_dynamodb_table.items.name }
  }
}

resource "aws_lambda_function" "steps" {
  function_name    = "${var.name}-steps"
  role             = aws_iam_role.lambda.arn
  runtime          = "python3.11"
  handler          = "steps.handler"
  filename         = var.steps_zip
  source_code_hash = filebase64sha256(var.steps_zip)
  timeout          = 10
}

resource "aws_lambda_permission" "api" {
  statement_id  = "api"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.items.function_name
  principal     = "apigateway.amazonaws.com"
}
