"""The evidence model: the folder layout, YAML I/O, vocabulary, schema, validation, loading into
tidy tables, claims, evidence levels and filters. Imports nothing from the later stages."""
