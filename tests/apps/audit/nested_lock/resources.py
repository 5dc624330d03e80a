import threading


class Pool:
    def __init__(self) -> None:
        self._lock = threading.Lock()


class Client:
    def __init__(self) -> None:
        self._pool = Pool()


class Service:
    def __init__(self) -> None:
        self.name = "db"
        self.client = Client()
