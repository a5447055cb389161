"""Custom Rasa NLU components. They run inside the Rasa server (Python 3.10, Rasa's pins)."""
