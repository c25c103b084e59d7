"""`sagemaker-notebook`: a SageMaker notebook instance set up to use this Metaflow deployment."""
