revision = '3f2a'
