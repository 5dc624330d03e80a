import threading

LOCK = threading.Lock()
