import os

PASSWORD = os.environ["APP_PASSWORD"]
