import logging
h = logging.FileHandler('/var/log/app.log')
