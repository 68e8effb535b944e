"""Django's locale formats where they are wrong for the trade (FORMAT_MODULE_PATH)."""
