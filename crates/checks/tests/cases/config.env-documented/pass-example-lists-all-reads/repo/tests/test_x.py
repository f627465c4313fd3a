os.environ['TEST_ONLY']
