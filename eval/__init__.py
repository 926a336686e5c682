"""The evaluation suite: ``python -m eval`` scores the bot on a case file (see DESIGN.md for the schema)."""
