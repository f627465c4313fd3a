revision: str = "b2c3"
down_revision: str = "a1"
