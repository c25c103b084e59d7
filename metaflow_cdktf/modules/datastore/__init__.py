"""`datastore`: Metaflow's S3 datastore bucket and the PostgreSQL database of its metadata service."""
