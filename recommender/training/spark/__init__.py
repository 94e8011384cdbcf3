"""The statistics step on Apache Spark (local mode, or EMR Serverless on AWS); the solve is the engine's.

prepare.py (this machine: encoders, job inputs) -> job.py (Spark: sums over users) -> assemble.py
(the contract's Statistics) -> recommender.training.fit.solve. driver.py runs it in local mode,
emr.py on EMR Serverless.
"""
