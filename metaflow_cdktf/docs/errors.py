"""The one error docs generation raises."""


class DocsError(Exception):
    """A README or module definition that docs generation cannot use; names the file."""
