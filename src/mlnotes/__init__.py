"""mlnotes: the foundations of machine learning, as a curriculum you read in the terminal."""

__version__ = "0.1.0"
