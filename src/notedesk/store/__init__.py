"""The data: Peewee models, the connection and the migrations. Knows nothing of the terminal."""
