"""The reader: a Textual app over the library and the search index."""
