from ordino.cli import app

app()
