# The same routes defined from an OpenAPI body, with a request validator and gateway responses.
locals {
  cors = {
    "method.response.header.Access-Control-Allow-Origin"  = "'*'"
    "method.response.header.Access-Control-Allow-Methods" = "'POST,OPTIONS'"
    "method.response.header.Access-Control-Allow-Headers" = "'Content-Type'"
  }
  openapi = {
    openapi = "3.0.1"
    info    = { title = "${var.name}-openapi", version = "1.0" }
    "x-amazon-apigateway-request-validators" = {
      body = { validateRequestBody = true, validateRequestParameters = false }
    }
    "x-amazon-apigateway-gateway-responses" = {
      BAD_REQUEST_BODY = {
        statusCode         = 400
        responseParameters = { "gatewayresponse.header.Access-Control-Allow-Origin" = "'*'" }
        responseTemplates  = { "application/json" = "{\"message\": \"$context.error.validationErrorString\"}" }
      }
    }
    paths = {
      "/items/{proxy+}" = {
        "x-amazon-apigateway-any-method" = {
          parameters = [{ name = "proxy", "in" = "path", required = true, schema = { type = "string" } }]
          "x-amazon-apigateway-integration" = {
            type = "aws_proxy", httpMethod = "POST", uri = aws_lambda_function.items.invoke_arn
          }
        }
      }
      "/sync" = {
        post = {
          "x-amazon-apigateway-request-validator" = "body"
          requestBody = {
            required = true
            content  = { "application/json" = { schema = { "$ref" = "#/components/schemas/Number" } } }
          }
          responses = { "200" = { description = "the workflow output" } }
          "x-amazon-apigateway-integration" = {
            type        = "aws"
            httpMethod  = "POST"
            uri         = "arn:aws:apigateway:us-east-1:states:action/StartSyncExecution"
            credentials = aws_iam_role.sfn.arn
            requestTemplates = {
              "application/json" = "{\"stateMachineArn\": \"${aws_sfn_state_machine.express.arn}\", \"input\": \"$util.escapeJavaScript($input.json('$'))\"}"
            }
            responses = {
              default = { statusCode = "200", responseTemplates = { "application/json" = "$input.path('$.output')" } }
            }
          }
        }
        options = {
          responses = { "200" = { description = "CORS preflight" } }
          "x-amazon-apigateway-integration" = {
            type             = "mock"
            requestTemplates = { "application/json" = "{\"statusCode\": 200}" }
            responses        = { default = { statusCode = "200", responseParameters = local.cors } }
          }
        }
      }
    }
    components = {
      schemas = {
        Number = {
          type                 = "object"
          required             = ["n"]
          additionalProperties = false
          properties           = { n = { type = "integer", minimum = 0, maximum = 1000 } }
        }
      }
    }
  }
}

resource "aws_api_gateway_rest_api" "openapi" {
  name = "${var.name}-openapi"
  body = jsonencode(local.openapi)
}

resource "aws_api_gateway_deployment" "openapi" {
  rest_api_id = aws_api_gateway_rest_api.openapi.id
  triggers    = { body = sha1(jsonencode(local.openapi)) }
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "openapi" {
  rest_api_id   = aws_api_gateway_rest_api.openapi.id
  deployment_id = aws_api_gateway_deployment.openapi.id
  stage_name    = "test"
}
