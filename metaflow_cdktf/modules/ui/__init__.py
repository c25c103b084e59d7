"""`ui`: the Metaflow UI (backend API and static app) on Fargate behind an HTTPS application load balancer."""
