"""DynamoDB: what the local cloud changes of moto's answers (transactions)."""
