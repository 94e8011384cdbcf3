"""Amazon Personalize in the local cloud: control plane, runtime and events over the real wire protocol.

moto implements only the schema calls; this package answers every Personalize call itself
(schemas included), with campaigns scored by the project's engine trained on the imported CSVs.
See README.md beside this package's parent for what it covers and where it differs from the service.
"""
