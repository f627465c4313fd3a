import os
DB = os.environ["DATABASE_URL"]
KEY = os.getenv('API_KEY', '')
HOME = os.environ.get('HOME')
