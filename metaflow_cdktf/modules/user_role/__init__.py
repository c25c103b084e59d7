"""`user-role`: the restricted role users or applications assume to use Metaflow, and nothing more."""
