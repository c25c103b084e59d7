"""`job-queues`: more AWS Batch queues beside computation's one (GPU, Spot, Fargate, Fargate Spot),
each on a compute environment of its own."""
