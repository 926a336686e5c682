"""Configuration and failure: the one typed settings object, the errors every user-facing failure
derives from, and what every command line shares."""
