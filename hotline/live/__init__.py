"""The live queue: open consoles learn of changes by cheap conditional polling."""
