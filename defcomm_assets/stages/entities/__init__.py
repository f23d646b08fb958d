"""Stage entities: spaCy pipeline (pipeline, components), mention rules (mentions), corpus resolution (resolve)."""
