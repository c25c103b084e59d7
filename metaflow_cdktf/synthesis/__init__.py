"""Synthesis: the module specs built into cdktf stacks and written out as Terraform JSON.

Everything in this package but container_definitions.py imports cdktf and the provider bindings
at the top (~10 s and ~1 GB through jsii): only the `synth` and `watch` commands load it.

    building.py               naming helpers: elements at upstream's addresses, expressions
    aws.py                    AWS building blocks several modules share (tags, IAM, logs)
    fargate.py                what the metadata service and the UI share: cluster, task role,
                              security groups, task definitions and services, database connection
    container_definitions.py  ECS container definitions as data, in the layouts Terraform reads
    synthesizer.py            one cdktf App for all module stacks: synthesize(specs) -> {module file: JSON}, every line
    postprocess.py            the one place that edits cdktf's JSON into a drop-in module
"""
