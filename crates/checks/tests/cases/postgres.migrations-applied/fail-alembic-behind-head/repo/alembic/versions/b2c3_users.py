revision = "b2c3"
down_revision = "a1"
