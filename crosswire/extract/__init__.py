"""Extractors: each a named, versioned stage that turns an article's text into facts with spans."""
