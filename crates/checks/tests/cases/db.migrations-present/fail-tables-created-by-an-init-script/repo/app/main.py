import psycopg
conn = psycopg.connect()
