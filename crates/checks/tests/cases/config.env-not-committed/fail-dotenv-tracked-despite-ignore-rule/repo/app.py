import os
print(os.environ["PORT"])
