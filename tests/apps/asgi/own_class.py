class App:
    pass


app = App()
