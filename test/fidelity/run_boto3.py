"""Runs the fidelity cases marked "boto3": true through boto3 against a ccapi server (test/fidelity/README.md).

Started by fidelity.test.ts with CCAPI_ENDPOINT (the built-in catalogue), CCAPI_REGISTRY_ENDPOINT (the official
bundle, empty when it is missing), FIDELITY_UNIQUE and, for its negative control, FIDELITY_EXTRA_CASES. Prints one JSON line per case: {"id", "ok", "error"?}.
The steps and matchers mean what test/fidelity/corpus.ts says they mean.
"""
import datetime
import json
import os
import re
import sys
import time
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
# The corpus, then any folders FIDELITY_EXTRA_CASES names (os.pathsep-separated): the negative control's.
CASE_DIRS = [os.path.join(HERE, "cases")] + [d for d in os.environ.get("FIDELITY_EXTRA_CASES", "").split(os.pathsep) if d]
REGION = "us-east-1"
ACCOUNT = "000000000000"
TERMINAL = {"SUCCESS", "FAILED", "CANCEL_COMPLETE"}
JSON_MEMBERS = ("DesiredState", "PatchDocument", "ResourceModel")
VAR = re.compile(r"\$\{([A-Za-z0-9_]+)\}")


class Mismatch(Exception):
    pass


def client(endpoint):
    return boto3.client(
        "cloudcontrol",
        endpoint_url=endpoint,
        region_name=REGION,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def substitute(text, env, escape=lambda s: s):
    def one(m):
        if m.group(1) not in env:
            raise Mismatch(f"unknown variable {m.group(0)}")
        return escape(env[m.group(1)])

    return VAR.sub(one, text)


def js_escape(s):
    # The same escaping as corpus.ts regexEscape, so patterns mean the same in both runners.
    return re.sub(r"([.*+?^${}()|\[\]\\])", r"\\\1", s)


def substitute_deep(value, env):
    if isinstance(value, str):
        return substitute(value, env)
    if isinstance(value, list):
        return [substitute_deep(v, env) for v in value]
    if isinstance(value, dict):
        if "$pattern" in value:
            return value
        return {k: substitute_deep(v, env) for k, v in value.items()}
    return value


def request_of(step, env):
    req = substitute_deep(step["input"], env)
    for k in JSON_MEMBERS:
        if k in req and not isinstance(req[k], str):
            req[k] = json.dumps(req[k], separators=(",", ":"))
    return req


def parsed_view(value, key=None):
    if isinstance(value, list):
        return [parsed_view(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "ResponseMetadata":
                continue
            if k in ("Properties", "ResourceModel") and isinstance(v, str):
                try:
                    out[k] = json.loads(v)
                except ValueError:
                    out[k] = v
            else:
                out[k] = parsed_view(v)
        return out
    return value


def js_type(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


MISSING = object()


def match(actual, expected, env, at="$"):
    if isinstance(expected, dict):
        if "$pattern" in expected:
            pattern = substitute(expected["$pattern"], env, js_escape)
            if isinstance(actual, str) and re.search(pattern, actual):
                return []
            return [f"{at}: {actual!r} does not match /{pattern}/"]
        if "$absent" in expected:
            return [] if actual is MISSING else [f"{at}: expected absent, got {actual!r}"]
        if "$type" in expected:
            return [] if actual is not MISSING and js_type(actual) == expected["$type"] else [f"{at}: expected a {expected['$type']}, got {actual!r}"]
        if "$notContains" in expected:
            if not isinstance(actual, list):
                return [f"{at}: expected an array, got {actual!r}"]
            return [f"{at}: an element matches {expected['$notContains']!r}"] if any(not match(a, expected["$notContains"], env) for a in actual) else []
        if "$contains" in expected:
            if not isinstance(actual, list):
                return [f"{at}: expected an array, got {actual!r}"]
            return [] if any(not match(a, expected["$contains"], env) for a in actual) else [f"{at}: no element matches {expected['$contains']!r}"]
        if not isinstance(actual, dict):
            return [f"{at}: expected an object, got {actual!r}"]
        problems = []
        for k, v in expected.items():
            problems += match(actual.get(k, MISSING), v, env, f"{at}.{k}")
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{at}: expected {len(expected)} elements, got {actual!r}"]
        problems = []
        for i, v in enumerate(expected):
            problems += match(actual[i], v, env, f"{at}[{i}]")
        return problems
    want = substitute(expected, env) if isinstance(expected, str) else expected
    if actual is MISSING or actual != want or isinstance(actual, bool) != isinstance(want, bool):
        return [f"{at}: expected {want!r}, got {'absent' if actual is MISSING else repr(actual)}"]
    return []


def pick(root, path):
    v = root
    for k in path.split("."):
        v = v.get(k) if isinstance(v, dict) else None
    return v


def snake(name):
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def wait_terminal(cc, token, timeout=10.0):
    deadline = time.time() + timeout
    while True:
        event = cc.get_resource_request_status(RequestToken=token)["ProgressEvent"]
        if event["OperationStatus"] in TERMINAL:
            return event
        if time.time() > deadline:
            raise Mismatch(f"request {token} not terminal within {timeout} s: {event}")
        time.sleep(0.02)


def run_step(cc, step, env, label):
    req = request_of(step, env)
    expect = step.get("expect") or {}
    try:
        output = getattr(cc, snake(step["call"]))(**req)
        error = None
    except ClientError as e:
        output, error = None, e
    want = expect.get("error")
    if step.get("allowError") and error is not None:
        return
    if want:
        if error is None:
            raise Mismatch(f"{label}: expected {want.get('code', 'an error')}, but {step['call']} succeeded: {parsed_view(output)}")
        code = error.response["Error"].get("Code")
        message = error.response["Error"].get("Message", "")
        status = error.response["ResponseMetadata"].get("HTTPStatusCode")
        if "code" in want and code != want["code"]:
            raise Mismatch(f"{label}: expected {want['code']}, got {code}: {message}")
        if "status" in want and status != want["status"]:
            raise Mismatch(f"{label}: HTTP status {status}, expected {want['status']}")
        if "message" in want and message != substitute(want["message"], env):
            raise Mismatch(f"{label}: message {message!r}, expected {substitute(want['message'], env)!r}")
        if "messagePattern" in want and not re.search(substitute(want["messagePattern"], env, js_escape), message):
            raise Mismatch(f"{label}: message {message!r} does not match /{want['messagePattern']}/")
        return
    if error is not None:
        raise Mismatch(f"{label}: {step['call']} failed: {error}")
    view = {"output": parsed_view(output)}
    if step.get("wait"):
        view["final"] = parsed_view(wait_terminal(cc, output["ProgressEvent"]["RequestToken"]))
    for key in ("output", "final"):
        if key in expect:
            problems = match(view[key], expect[key], env)
            if problems:
                raise Mismatch(f"{label}: {'; '.join(problems)} in {json.dumps(view[key], default=str)}")
    for name, path in (step.get("save") or {}).items():
        value = pick(view, path)
        if not isinstance(value, str):
            raise Mismatch(f"{label}: nothing to save as {name} at {path}")
        env[name] = value


def main():
    endpoints = {"built-in": os.environ["CCAPI_ENDPOINT"], "registry": os.environ.get("CCAPI_REGISTRY_ENDPOINT") or None}
    clients = {k: client(v) for k, v in endpoints.items() if v}
    unique = os.environ.get("FIDELITY_UNIQUE", "fidpy" + uuid.uuid4().hex[:6])
    serial = 0
    files = [os.path.join(d, f) for d in CASE_DIRS for f in sorted(os.listdir(d)) if f.endswith(".json")]
    for path in files:
        with open(path) as f:
            corpus = json.load(f)
        for case in corpus["cases"]:
            if not case.get("boto3"):
                continue
            cc = clients.get(case.get("catalogue", "built-in"))
            if cc is None:
                print(json.dumps({"id": case["id"], "ok": False, "error": "no server with the registry bundle"}), flush=True)
                continue
            serial += 1
            env = {"unique": f"{unique}x{serial}", "account": ACCOUNT, "region": REGION, "uuid": str(uuid.uuid4())}
            try:
                for i, step in enumerate(case["steps"]):
                    run_step(cc, step, env, f"{case['id']} step {i} ({step['call']})")
                print(json.dumps({"id": case["id"], "ok": True}), flush=True)
            except Exception as e:  # noqa: BLE001 - every failure is reported as the case's result
                print(json.dumps({"id": case["id"], "ok": False, "error": f"{type(e).__name__}: {e}"}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
