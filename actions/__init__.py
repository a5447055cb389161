"""rasa-sdk custom actions: thin, one module per feature; they call `knowledge/`."""
