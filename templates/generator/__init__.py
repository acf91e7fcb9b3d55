"""Python code that writes the .docx templates (see ../build.py)."""
