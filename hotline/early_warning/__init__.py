"""Early warnings (未诉先办): a surge of one kind of matter in one street, raised once."""
