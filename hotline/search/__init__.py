"""Full-text search over tickets: bigram tokens on PostgreSQL, plain LIKE on SQLite."""
