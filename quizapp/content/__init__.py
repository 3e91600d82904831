"""Source documents, quote resolution and safe Markdown: pure functions, no Flask."""
