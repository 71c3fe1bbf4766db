# Shared fixtures (personas, clients) for the tests under src/ and tests/.
pytest_plugins = ["shanghui.testing.fixtures"]
