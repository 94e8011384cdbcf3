"""DynamoDB TransactWriteItems that holds under concurrency and costs what the transaction touches.

moto 5.2.1 backs up every table a transaction names with ``copy.deepcopy`` (its whole content,
per call) and restores the copy on failure. Under concurrent requests the copy races other
writers (``RuntimeError: dictionary changed size during iteration`` -> a 500), a restore
drops what other requests wrote meanwhile, and each transaction grows slower as tables fill.
Here the transaction runs under one lock and backs up only the items it touches; on a
failure those items alone are put back. What it checks and raises is moto's own logic:
condition expressions, one operation per item, no item twice, the same exceptions.
"""
from __future__ import annotations

import functools
import threading
from typing import Any

_LOCK = threading.RLock()


def install() -> None:
    """Replace ``DynamoDBBackend.transact_write_items`` (idempotent)."""
    from moto.dynamodb.models import DynamoDBBackend

    if getattr(DynamoDBBackend.transact_write_items, "localcloud", False):
        return
    transact_write_items.localcloud = True  # type: ignore[attr-defined]
    DynamoDBBackend.transact_write_items = transact_write_items


def _key(table: Any, op_type: str, op: dict) -> dict:
    if op_type != "Put":
        return op["Key"]
    attrs = op["Item"]
    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attrs[table.range_key_attr]
    return key


def _apply(backend: Any, op_type: str, op: dict, key: dict) -> None:
    from moto.dynamodb.exceptions import ConditionalCheckFailed
    from moto.dynamodb.comparisons import get_filter_expression

    names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
    condition = op.get("ConditionExpression")
    current = backend.get_item(op["TableName"], key)
    check = _plain_condition(condition) if not names and not values else get_filter_expression(condition, names,
                                                                                                values)
    if condition is not None and not check.expr(current):
        raise ConditionalCheckFailed()
    # the condition was checked above, under the transaction's lock: the write need not parse it again
    common = {"condition_expression": None, "expression_attribute_names": names,
              "expression_attribute_values": values}
    if op_type == "Put":
        backend.put_item(op["TableName"], op["Item"], **common)
    elif op_type == "Delete":
        backend.delete_item(op["TableName"], key, **common)
    elif op_type == "Update":
        backend.update_item(op["TableName"], key, update_expression=op["UpdateExpression"], **common)


@functools.lru_cache(maxsize=256)
def _plain_condition(condition: str | None) -> Any:
    """A condition without names or values, parsed once (the parsed tree only reads the item)."""
    from moto.dynamodb.comparisons import get_filter_expression

    return get_filter_expression(condition, None, None)


def _restore(backend: Any, touched: list[tuple[str, dict, Any]]) -> None:
    for table_name, key, before in reversed(touched):
        if before is None:
            if backend.get_item(table_name, key) is not None:
                backend.delete_item(table_name, key)
        else:
            backend.put_item(table_name, before.to_json()["Attributes"])


def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    """moto's TransactWriteItems, serialised, with an item-level backup."""
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed, MockValidationException, MultipleTransactionsException,
        TooManyTransactionsException, TransactionCanceledException, TransactWriteSingleOpException,
    )

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    with _LOCK:
        touched: list[tuple[str, dict, Any]] = []
        seen: set[tuple[str, str]] = set()
        errors: list[tuple[Any, Any, Any]] = []
        for entry in transact_items:
            if len(entry) > 1:
                raise TransactWriteSingleOpException
            old = None
            try:
                op_type, op = next(iter(entry.items()))
                if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                    raise ValueError("Unsupported transaction operation")
                key = _key(self.get_table(op["TableName"]), op_type, op)
                marker = (str(op["TableName"]), str(dict(sorted(key.items()))))
                if marker in seen:
                    raise MultipleTransactionsException()
                seen.add(marker)
                before = self.get_item(op["TableName"], key)
                if before is not None and op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD":
                    old = before.to_json()["Attributes"]
                if op_type != "ConditionCheck":
                    touched.append((op["TableName"], key, before))
                _apply(self, op_type, op, key)
                errors.append((None, None, None))
            except (MultipleTransactionsException, MockValidationException):
                _restore(self, touched)
                raise
            except ConditionalCheckFailed as error:
                errors.append(("ConditionalCheckFailed", str(error.message), old))
            except Exception as error:  # noqa: BLE001 - moto reports every other failure per item, too
                errors.append((type(error).__name__, str(error), old))
        if any(code is not None for code, _, _ in errors):
            _restore(self, touched)
            raise TransactionCanceledException(errors)
