import pytest

from order.config import ConfigError, load_settings, redact_uri

BASE = {"MONGODB_URI": "mongodb://u:s3cr3t@db:27017/orders?authSource=admin", "PRODUCT_API_URL": "http://product:8080/"}


def env(**changes):
    out = dict(BASE)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def test_defaults_and_parsing():
    s = load_settings(env())
    assert s.port == 8080
    assert s.mongodb_db == "orders"
    assert s.mongodb_uri_redacted == "mongodb://u:***@db:27017/orders?authSource=admin"
    assert s.product_api_url == "http://product:8080"  # trailing slash dropped
    assert s.product_api_timeout_ms == 2000 and s.product_api_timeout_s == 2.0
    assert s.shutdown_timeout_ms == 10000 and s.shutdown_timeout_s == 10.0
    assert s.log_level == "info"


def test_explicit_values():
    s = load_settings(env(PORT="9000", PRODUCT_API_TIMEOUT_MS=" 150 ", SHUTDOWN_TIMEOUT_MS="0", LOG_LEVEL="WARN"))
    assert (s.port, s.product_api_timeout_ms, s.shutdown_timeout_ms, s.log_level) == (9000, 150, 0, "warn")


def test_srv_uri_and_multiple_hosts():
    assert load_settings(env(MONGODB_URI="mongodb+srv://u:p@cluster.example.com/shop")).mongodb_db == "shop"
    assert load_settings(env(MONGODB_URI="mongodb://a:1,b:2/orders?replicaSet=rs0")).mongodb_db == "orders"


@pytest.mark.parametrize(
    ("changes", "variable"),
    [
        ({"MONGODB_URI": None}, "MONGODB_URI"),
        ({"MONGODB_URI": ""}, "MONGODB_URI"),
        ({"MONGODB_URI": "mongodb://u:s3cr3t@db:27017"}, "MONGODB_URI"),
        ({"MONGODB_URI": "mongodb://u:s3cr3t@db:27017/"}, "MONGODB_URI"),
        ({"MONGODB_URI": "mongodb://u:s3cr3t@db:27017/?authSource=admin"}, "MONGODB_URI"),
        ({"MONGODB_URI": "postgres://u:s3cr3t@db/orders"}, "MONGODB_URI"),
        ({"MONGODB_URI": "mongodb:///orders"}, "MONGODB_URI"),
        ({"MONGODB_URI": "mongodb://u:s3cr3t@db/a.b"}, "MONGODB_URI"),
        ({"MONGODB_URI": "mongodb://u:s3cr3t@db:notaport/orders"}, "MONGODB_URI"),
        ({"PRODUCT_API_URL": None}, "PRODUCT_API_URL"),
        ({"PRODUCT_API_URL": "product:8080"}, "PRODUCT_API_URL"),
        ({"PRODUCT_API_URL": "ftp://product"}, "PRODUCT_API_URL"),
        ({"PRODUCT_API_URL": "http://"}, "PRODUCT_API_URL"),
        ({"PRODUCT_API_URL": "http://u:p@product"}, "PRODUCT_API_URL"),
        ({"PRODUCT_API_URL": "http://product:99999"}, "PRODUCT_API_URL"),
        ({"PRODUCT_API_TIMEOUT_MS": "2s"}, "PRODUCT_API_TIMEOUT_MS"),
        ({"PRODUCT_API_TIMEOUT_MS": "1.5"}, "PRODUCT_API_TIMEOUT_MS"),
        ({"PRODUCT_API_TIMEOUT_MS": "0"}, "PRODUCT_API_TIMEOUT_MS"),
        ({"SHUTDOWN_TIMEOUT_MS": "soon"}, "SHUTDOWN_TIMEOUT_MS"),
        ({"PORT": "http"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL"),
    ],
)
def test_bad_values_name_the_variable(changes, variable):
    with pytest.raises(ConfigError) as info:
        load_settings(env(**changes))
    assert info.value.variable == variable
    assert variable in str(info.value)
    assert "s3cr3t" not in str(info.value)


def test_redact_uri():
    assert redact_uri("mongodb://user:pa:ss@h:1/db") == "mongodb://user:***@h:1/db"
    assert redact_uri("mongodb://h:1/db") == "mongodb://h:1/db"
    assert redact_uri("mongodb+srv://user:p%40ss@h/db?x=1") == "mongodb+srv://user:***@h/db?x=1"
