"""Entry point of the workflow's Validate state."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from lambdas import config, logs
from lambdas.errors import ValidationError
from lambdas.handlers.common import model
from lambdas.logic import workflow_steps


def handler(event: dict, context) -> dict:
    """Check the request against the model; raise ValidationError (the state's error) if it is invalid."""
    with logs.invocation(context):
        try:
            validated = workflow_steps.validate(event, model(), datetime.now(timezone.utc),
                                                config.settings().result_ttl_days)
        except ValidationError as error:
            logs.log(logging.INFO, "request invalid", reason=str(error))
            raise
        logs.log(logging.INFO, "request valid", workflow_request_id=validated["request_id"],
                 mode=validated["mode"])
        return validated
