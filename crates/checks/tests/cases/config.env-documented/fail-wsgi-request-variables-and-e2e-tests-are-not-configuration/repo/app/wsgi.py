import os

DATABASE_URL = os.environ["DATABASE_URL"]
SENTRY_DSN = os.getenv("SENTRY_DSN")


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    auth = environ.get("HTTP_AUTHORIZATION")
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [path.encode()]
