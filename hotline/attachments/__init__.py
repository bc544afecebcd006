"""Photos, short videos and PDFs attached to tickets as evidence."""
