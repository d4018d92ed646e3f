"""Content packs: the data model, the loader that validates a pack folder, and Markdown helpers."""
