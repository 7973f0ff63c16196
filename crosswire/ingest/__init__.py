"""Readers: turn paths, globs, folders, stdin and URLs into RawDocuments (or Rejections)."""
