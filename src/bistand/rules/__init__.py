"""The rules engine: the public calculation of försörjningsstöd (pure Python, no Django)."""
