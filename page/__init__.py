"""The chat page's parts that are not Gradio wiring: the answer card as Markdown, feedback storage,
the login throttle, the knowledge-base wording, and the page's CSS and script (``web/``). ``app.py``
builds the page from these."""
