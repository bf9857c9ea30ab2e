"""The OpenAPI document matches the registered /api/v1 routes, both ways."""
import re


def flask_routes(app):
    out = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            out.add((path, method.lower()))
    return out


def test_every_route_documented_and_every_documented_route_exists(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert documented == flask_routes(app)


def test_documented_path_parameters_match(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    for path, ops in doc["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        for op in ops.values():
            params = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert params == names, path


def _schema(doc, path, method="get", status="200"):
    schema = doc["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_lists_are_documented_as_arrays_and_an_idle_counter_draft_as_null(client, auth):
    doc = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/counters", "/api/v1/services", "/api/v1/pagers"):
        got = client.get(path, headers=auth("admin")).get_json()
        assert isinstance(got, list) and got, path
        assert _schema(doc, path)["type"] == "array", path
        item = _schema(doc, path)["items"]
        item = doc["components"]["schemas"][item["$ref"].rsplit("/", 1)[1]]
        assert set(item["required"]) <= set(got[0]) <= set(item["properties"]), path
    assert client.get("/api/v1/counters/1/draft", headers=auth("admin")).get_json() is None
    draft = _schema(doc, "/api/v1/counters/{counter_id}/draft")
    assert {"type": "null"} in draft["anyOf"]


def test_every_operation_documents_its_json_answers_and_errors(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            responses = op["responses"]
            assert any(code.startswith("2") for code in responses), (path, method)
            for code, answer in responses.items():
                if "$ref" in answer:
                    answer = doc["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
                assert "content" in answer, (path, method, code)
            if path not in ("/api/v1/openapi.json", "/api/v1/health"):
                assert {"400", "401", "403"} <= set(responses), (path, method)
