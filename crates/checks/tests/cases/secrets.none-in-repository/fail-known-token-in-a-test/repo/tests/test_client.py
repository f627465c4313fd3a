TOKEN = "ghp_C3J27XDCG2LmlZGEONYlgCtjfIZ4SOcMz9CP"  # pasted from a real session
