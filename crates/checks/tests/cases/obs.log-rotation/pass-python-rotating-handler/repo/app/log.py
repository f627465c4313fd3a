import logging.handlers
h = logging.handlers.RotatingFileHandler('app.log', maxBytes=10_000_000, backupCount=5)
