"""`metaflow`: the root module, the other modules wired together as upstream's root module wires them."""
