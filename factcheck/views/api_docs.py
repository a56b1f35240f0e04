"""The API's own description: the OpenAPI document, and a readable page of it (no CDN, no script)."""

import json

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from factcheck import openapi

METHODS = ("get", "post")


@require_safe
def openapi_json(request):
    return JsonResponse(openapi.document(), json_dumps_params={"indent": 1})


def _schema_name(operation, status):
    content = operation["responses"].get(status, {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    return ref.rsplit("/", 1)[-1]


@require_safe
def api_docs(request):
    doc = openapi.document()
    endpoints = []
    for path, item in doc["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            endpoints.append(
                {
                    "anchor": f"{method}-{path.strip('/').replace('/', '-').replace('{', '').replace('}', '')}",
                    "method": method.upper(),
                    "path": path,
                    "summary": operation["summary"],
                    "parameters": [*item.get("parameters", []), *operation.get("parameters", [])],
                    "body": json.dumps(body, indent=2) if body else "",
                    "responses": [
                        {"status": status, "description": r["description"], "schema": _schema_name(operation, status)}
                        for status, r in operation["responses"].items()
                    ],
                    "needs_token": "security" in operation,
                }
            )
    schemas = [(name, json.dumps(schema, indent=2)) for name, schema in doc["components"]["schemas"].items()]
    context = {"info": doc["info"], "endpoints": endpoints, "schemas": schemas, "openapi_version": doc["openapi"]}
    return render(request, "factcheck/api_docs.html", context)
