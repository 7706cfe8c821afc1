from tests.hotline import carrier, config_path, extra_settings, hotline  # noqa: F401  (fixtures)
