from tests.hotline import carrier, config_path, hotline  # noqa: F401  (fixtures)
