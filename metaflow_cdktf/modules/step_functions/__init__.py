"""`step-functions`: what Metaflow's AWS Step Functions integration needs, when `active`."""
