"""Step Functions: the operations moto lacks or gets wrong, and its interpreter made cheap per execution."""
