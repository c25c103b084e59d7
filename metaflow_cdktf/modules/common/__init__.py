"""`common`: defaults the other modules share (container images)."""
