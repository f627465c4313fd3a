import logging
logging.basicConfig(level='INFO')
