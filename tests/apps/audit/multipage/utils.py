import threading


def greeting() -> str:
    return "hello"


def make_lock() -> threading.Lock:
    return threading.Lock()
