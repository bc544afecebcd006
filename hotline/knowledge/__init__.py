"""The knowledge base of standard answers operators give on the spot."""
