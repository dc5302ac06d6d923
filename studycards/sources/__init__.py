"""Question files -> records: reading bytes safely, front matter, articles, directory walks."""
