"""Question banks as files: parsing, checking and loading into the database."""
