# Results of recommendation requests (by request id, expiring through TTL) and
# interaction events; the private, versioned bucket holding the model artifact.

resource "aws_dynamodb_table" "results" {
  #checkov:skip=CKV_AWS_28:Results expire through TTL within result_ttl_days and are recomputed by asking again; the events table is the one with point-in-time recovery.
  #checkov:skip=CKV_AWS_119:Encrypted at rest with the AWS owned key; a customer managed key would add $1/month and key policy upkeep for request ids and rankings.
  name         = "${var.name}-results"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "request_id"

  attribute {
    name = "request_id"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }
}

resource "aws_dynamodb_table" "events" {
  #checkov:skip=CKV_AWS_119:Encrypted at rest with the AWS owned key; a customer managed key would add $1/month and key policy upkeep for item ids and event types.
  name         = "${var.name}-events"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "event_id"

  attribute {
    name = "event_id"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }
}
