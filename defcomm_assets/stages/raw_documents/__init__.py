"""Stage raw_documents: files read from the source folder, decoded, or rejected with a reason."""
