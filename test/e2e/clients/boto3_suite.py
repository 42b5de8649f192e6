"""End-to-end tests of ccapi with boto3 (botocore's cloudcontrol model, waiter and paginators).

Run by test/e2e/boto3.test.ts against a server it started:
    CCAPI_ENDPOINT=http://127.0.0.1:PORT AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... \
    AWS_DEFAULT_REGION=us-east-1 python3 -m unittest ... (or python3 boto3_suite.py)
Each test uses resource names of its own, so the order of the tests does not matter.
"""
import datetime
import json
import os
import time
import unittest
import urllib.request
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, WaiterError

ENDPOINT = os.environ["CCAPI_ENDPOINT"]
REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
ACCOUNT = "000000000000"
LOG_GROUP = "AWS::Logs::LogGroup"
# What a LogGroup reads back beyond the caller's properties: the read handler's defaults, carried by the built-in
# catalogue from the service spec's defaultValues (@aws-cdk/aws-service-spec).
LOG_GROUP_DEFAULTS = {"LogGroupClass": "STANDARD", "DeletionProtectionEnabled": False, "BearerTokenAuthenticationEnabled": False}
LOG_STREAM = "AWS::Logs::LogStream"
QUEUE = "AWS::SQS::Queue"
TOPIC = "AWS::SNS::Topic"
TERMINAL = {"SUCCESS", "FAILED", "CANCEL_COMPLETE"}
RUN = uuid.uuid4().hex[:8]


def make_client(region=REGION, access_key=None):
    kwargs = {}
    if access_key:
        kwargs = {"aws_access_key_id": access_key, "aws_secret_access_key": "secret-for-tests"}
    return boto3.client(
        "cloudcontrol",
        endpoint_url=ENDPOINT,
        region_name=region,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
        **kwargs,
    )


def name(prefix):
    return f"{prefix}-{RUN}-{uuid.uuid4().hex[:6]}"


def admin(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(ENDPOINT + path, data=data, method=method, headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as res:
        return json.loads(res.read())


class CloudControlTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cc = make_client()

    def wait_terminal(self, token, status=None, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            event = self.cc.get_resource_request_status(RequestToken=token)["ProgressEvent"]
            if (status is None and event["OperationStatus"] in TERMINAL) or event["OperationStatus"] == status:
                return event
            if time.monotonic() > deadline:
                self.fail(f"request {token} still {event['OperationStatus']} after {timeout} s")
            time.sleep(0.02)

    def create_log_group(self, group_name, **extra):
        desired = {"LogGroupName": group_name, **extra}
        event = self.cc.create_resource(TypeName=LOG_GROUP, DesiredState=json.dumps(desired))["ProgressEvent"]
        done = self.wait_terminal(event["RequestToken"])
        self.assertEqual(done["OperationStatus"], "SUCCESS", done)
        return done

    def properties(self, type_name, identifier):
        out = self.cc.get_resource(TypeName=type_name, Identifier=identifier)
        self.assertIsInstance(out["ResourceDescription"]["Properties"], str)
        return json.loads(out["ResourceDescription"]["Properties"])

    def assert_error(self, code, status, fn, *args, **kwargs):
        with self.assertRaises(ClientError) as caught:
            fn(*args, **kwargs)
        error = caught.exception
        self.assertEqual(error.response["Error"]["Code"], code, error.response["Error"])
        self.assertEqual(error.response["ResponseMetadata"]["HTTPStatusCode"], status)
        return error


class CreateAndWaiter(CloudControlTestCase):
    def test_create_then_waiter_succeeds_on_first_poll(self):
        group = name("b3-create")
        output = self.cc.create_resource(TypeName=LOG_GROUP, DesiredState=json.dumps({"LogGroupName": group, "RetentionInDays": 7}))
        self.assertEqual(output["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertRegex(output["ResponseMetadata"]["RequestId"], r"^[0-9a-f-]{36}$")
        event = output["ProgressEvent"]
        self.assertEqual(event["OperationStatus"], "IN_PROGRESS")
        self.assertEqual(event["Operation"], "CREATE")
        self.assertEqual(event["Identifier"], group)
        self.assertNotIn("ResourceModel", event)
        polls = []

        def count_poll(**kwargs):
            polls.append(1)

        self.cc.meta.events.register("before-call.cloudcontrol.GetResourceRequestStatus", count_poll)
        waiter = self.cc.get_waiter("resource_request_success")
        started = time.monotonic()
        try:
            waiter.wait(RequestToken=event["RequestToken"], WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        finally:
            self.cc.meta.events.unregister("before-call.cloudcontrol.GetResourceRequestStatus", count_poll)
        elapsed = time.monotonic() - started
        self.assertEqual(len(polls), 1, "the first poll already sees SUCCESS")
        self.assertLess(elapsed, 0.9, f"a second poll would have slept 1 s; the waiter took {elapsed:.3f} s")
        status = self.cc.get_resource_request_status(RequestToken=event["RequestToken"])["ProgressEvent"]
        self.assertEqual(status["OperationStatus"], "SUCCESS")
        self.assertEqual(json.loads(status["ResourceModel"])["Arn"], f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group}:*")

    def test_waiter_raises_waiter_error_on_failed(self):
        group = name("b3-dup")
        self.create_log_group(group)
        event = self.cc.create_resource(TypeName=LOG_GROUP, DesiredState=json.dumps({"LogGroupName": group}))["ProgressEvent"]
        waiter = self.cc.get_waiter("resource_request_success")
        started = time.monotonic()
        with self.assertRaises(WaiterError) as caught:
            waiter.wait(RequestToken=event["RequestToken"], WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        self.assertLess(time.monotonic() - started, 0.9)
        failed = caught.exception.last_response["ProgressEvent"]
        self.assertEqual(failed["OperationStatus"], "FAILED")
        self.assertEqual(failed["ErrorCode"], "AlreadyExists")
        self.assertEqual(
            failed["StatusMessage"],
            f"Resource of type '{LOG_GROUP}' with identifier '{{\"/properties/LogGroupName\":\"{group}\"}}' already exists.",
        )
        self.assertIn("terminal failure state", str(caught.exception))

    def test_generated_identifier_arrives_with_success(self):
        event = self.cc.create_resource(TypeName=QUEUE, DesiredState="{}")["ProgressEvent"]
        self.assertNotIn("Identifier", event)
        done = self.wait_terminal(event["RequestToken"])
        self.assertEqual(done["OperationStatus"], "SUCCESS")
        self.assertRegex(done["Identifier"], rf"^https://sqs\.{REGION}\.amazonaws\.com/{ACCOUNT}/\S+$")
        self.assertEqual(json.loads(done["ResourceModel"])["QueueUrl"], done["Identifier"])

    def test_event_time_is_a_datetime(self):
        group = name("b3-time")
        event = self.cc.create_resource(TypeName=LOG_GROUP, DesiredState=json.dumps({"LogGroupName": group}))["ProgressEvent"]
        self.assertIsInstance(event["EventTime"], datetime.datetime)
        self.assertIsNotNone(event["EventTime"].tzinfo)
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertLess(abs((now - event["EventTime"]).total_seconds()), 60)
        done = self.wait_terminal(event["RequestToken"])
        self.assertGreaterEqual(done["EventTime"], event["EventTime"])
        self.assertNotIn("RetryAfter", done)


class ReadUpdateDelete(CloudControlTestCase):
    def test_get_resource_properties(self):
        group = name("b3-get")
        self.create_log_group(group, RetentionInDays=14)
        out = self.cc.get_resource(TypeName=LOG_GROUP, Identifier=group)
        self.assertEqual(out["TypeName"], LOG_GROUP)
        self.assertEqual(out["ResourceDescription"]["Identifier"], group)
        self.assertEqual(
            json.loads(out["ResourceDescription"]["Properties"]),
            {"LogGroupName": group, "RetentionInDays": 14, "Arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group}:*", **LOG_GROUP_DEFAULTS},
        )

    def test_get_missing_is_resource_not_found(self):
        error = self.assert_error("ResourceNotFoundException", 400, self.cc.get_resource, TypeName=LOG_GROUP, Identifier=name("b3-missing"))
        self.assertRegex(error.response["Error"]["Message"], r"^AWS::Logs::LogGroup Handler returned status FAILED: .+ \(HandlerErrorCode: NotFound, RequestToken: [0-9a-f-]{36}\)$")

    def test_update_resource(self):
        group = name("b3-upd")
        self.create_log_group(group, RetentionInDays=7)
        event = self.cc.update_resource(
            TypeName=LOG_GROUP, Identifier=group, PatchDocument=json.dumps([{"op": "replace", "path": "RetentionInDays", "value": 60}])
        )["ProgressEvent"]
        self.assertEqual(event["Operation"], "UPDATE")
        self.assertEqual(event["OperationStatus"], "IN_PROGRESS")
        self.assertEqual(json.loads(event["ResourceModel"]), {"LogGroupName": group, "RetentionInDays": 60, **LOG_GROUP_DEFAULTS})
        self.cc.get_waiter("resource_request_success").wait(RequestToken=event["RequestToken"], WaiterConfig={"Delay": 1, "MaxAttempts": 3})
        self.assertEqual(self.properties(LOG_GROUP, group)["RetentionInDays"], 60)

    def test_update_errors(self):
        group = name("b3-upd-err")
        self.create_log_group(group, RetentionInDays=7)
        update = lambda patch: self.cc.update_resource(TypeName=LOG_GROUP, Identifier=group, PatchDocument=json.dumps(patch))
        error = self.assert_error("NotUpdatableException", 400, update, [{"op": "replace", "path": "/LogGroupName", "value": "other"}])
        self.assertEqual(error.response["Error"]["Message"], "Invalid patch update: createOnlyProperties [/properties/LogGroupName] cannot be updated")
        error = self.assert_error("ValidationException", 400, update, [{"op": "add", "path": "/Arn", "value": "x"}])
        self.assertEqual(error.response["Error"]["Message"], "Invalid patch update: readOnlyProperties [/properties/Arn] cannot be updated")
        self.assert_error("ValidationException", 400, update, [{"op": "replace", "path": "/RetentionInDays", "value": 1}, {"op": "test", "path": "/RetentionInDays", "value": 99}])
        self.assertEqual(self.properties(LOG_GROUP, group)["RetentionInDays"], 7)
        self.assert_error(
            "ResourceNotFoundException", 400, self.cc.update_resource, TypeName=LOG_GROUP, Identifier=name("b3-nothere"), PatchDocument="[]"
        )

    def test_delete_resource(self):
        group = name("b3-del")
        self.create_log_group(group)
        event = self.cc.delete_resource(TypeName=LOG_GROUP, Identifier=group)["ProgressEvent"]
        self.assertEqual(event["Operation"], "DELETE")
        done = self.wait_terminal(event["RequestToken"])
        self.assertEqual(done["OperationStatus"], "SUCCESS")
        self.assertNotIn("ResourceModel", done)
        self.assert_error("ResourceNotFoundException", 400, self.cc.get_resource, TypeName=LOG_GROUP, Identifier=group)

    def test_delete_missing_fails_async_with_not_found(self):
        event = self.cc.delete_resource(TypeName=LOG_GROUP, Identifier=name("b3-del-missing"))["ProgressEvent"]
        self.assertEqual(event["OperationStatus"], "IN_PROGRESS")
        with self.assertRaises(WaiterError) as caught:
            self.cc.get_waiter("resource_request_success").wait(RequestToken=event["RequestToken"], WaiterConfig={"Delay": 1, "MaxAttempts": 3})
        self.assertEqual(caught.exception.last_response["ProgressEvent"]["ErrorCode"], "NotFound")

    def test_identifier_forms(self):
        group, stream = name("b3-g"), name("b3-s")
        # The log group exists first, as CloudWatch Logs requires (references are checked: docs/references.md).
        self.create_log_group(group)
        event = self.cc.create_resource(TypeName=LOG_STREAM, DesiredState=json.dumps({"LogGroupName": group, "LogStreamName": stream}))["ProgressEvent"]
        self.assertEqual(event["Identifier"], f"{group}|{stream}")
        self.wait_terminal(event["RequestToken"])
        by_json = self.cc.get_resource(TypeName=LOG_STREAM, Identifier=json.dumps({"LogStreamName": stream, "LogGroupName": group}))
        self.assertEqual(by_json["ResourceDescription"]["Identifier"], f"{group}|{stream}")
        self.assert_error("ValidationException", 400, self.cc.get_resource, TypeName=LOG_STREAM, Identifier=group)


class Pagination(CloudControlTestCase):
    def test_list_resources_paginator_across_pages(self):
        prefix = name("b3-list")
        names = [f"{prefix}-{i}" for i in range(5)]
        for group in names:
            self.create_log_group(group)
        pages = list(self.cc.get_paginator("list_resources").paginate(TypeName=LOG_GROUP, PaginationConfig={"PageSize": 2}))
        self.assertGreaterEqual(len(pages), 3)
        identifiers = [d["Identifier"] for page in pages for d in page["ResourceDescriptions"]]
        self.assertEqual(len(identifiers), len(set(identifiers)))
        for page in pages:
            self.assertLessEqual(len(page["ResourceDescriptions"]), 2)
            self.assertEqual(page["TypeName"], LOG_GROUP)
        for group in names:
            self.assertIn(group, identifiers)
        self.assertNotIn("NextToken", pages[-1])

    def test_list_resource_requests_paginator_newest_first(self):
        c = make_client(region="sa-east-1")  # a region of its own: exact counts
        tokens = []
        for i in range(7):
            event = c.create_resource(TypeName=LOG_GROUP, DesiredState=json.dumps({"LogGroupName": f"b3-lrr-{RUN}-{i}"}))["ProgressEvent"]
            tokens.append(event["RequestToken"])
        event = c.delete_resource(TypeName=LOG_GROUP, Identifier=f"b3-lrr-{RUN}-0")["ProgressEvent"]
        tokens.append(event["RequestToken"])
        pages = list(c.get_paginator("list_resource_requests").paginate(PaginationConfig={"PageSize": 3}))
        self.assertEqual(len(pages), 3)
        seen = [s["RequestToken"] for page in pages for s in page["ResourceRequestStatusSummaries"]]
        self.assertEqual(seen, list(reversed(tokens)), "newest first, no duplicates")
        deletes = list(
            c.get_paginator("list_resource_requests").paginate(
                ResourceRequestStatusFilter={"Operations": ["DELETE"]}, PaginationConfig={"PageSize": 2}
            )
        )
        self.assertEqual([s["RequestToken"] for p in deletes for s in p["ResourceRequestStatusSummaries"]], [tokens[-1]])
        built = c.get_paginator("list_resource_requests").paginate(PaginationConfig={"PageSize": 4}).build_full_result()
        self.assertEqual(len(built["ResourceRequestStatusSummaries"]), 8)

    def test_max_results_out_of_range_is_validation_exception(self):
        # botocore checks the minimum client-side; the maximum is the server's to enforce.
        self.assert_error("ValidationException", 400, self.cc.list_resource_requests, MaxResults=101)


class Errors(CloudControlTestCase):
    def test_type_not_found(self):
        self.assert_error("TypeNotFoundException", 400, self.cc.get_resource, TypeName="AWS::NoSuch::Thing", Identifier="x")
        self.assert_error("TypeNotFoundException", 400, self.cc.create_resource, TypeName="AWS::NoSuch::Thing", DesiredState="{}")

    def test_request_token_not_found(self):
        self.assert_error("RequestTokenNotFoundException", 400, self.cc.get_resource_request_status, RequestToken=str(uuid.uuid4()))
        self.assert_error("RequestTokenNotFoundException", 400, self.cc.cancel_resource_request, RequestToken=str(uuid.uuid4()))

    def test_model_validation(self):
        error = self.assert_error(
            "ValidationException", 400, self.cc.create_resource, TypeName=LOG_GROUP, DesiredState=json.dumps({"LogGroupName": name("b3-bogus"), "Bogus": 1})
        )
        self.assertEqual(error.response["Error"]["Message"], "Model validation failed (#: extraneous key [Bogus] is not permitted)")

    def test_type_name_pattern(self):
        error = self.assert_error("ValidationException", 400, self.cc.get_resource, TypeName="not-a-type-name", Identifier="x")
        self.assertIn("failed to satisfy constraint", error.response["Error"]["Message"])

    def test_client_token_replay_and_conflict(self):
        group = name("b3-token")
        token = f"b3tok-{RUN}"
        first = self.cc.create_resource(TypeName=LOG_GROUP, DesiredState=json.dumps({"LogGroupName": group}), ClientToken=token)["ProgressEvent"]
        self.wait_terminal(first["RequestToken"])
        replay = self.cc.create_resource(TypeName=LOG_GROUP, DesiredState=json.dumps({"LogGroupName": group}), ClientToken=token)["ProgressEvent"]
        self.assertEqual(replay["RequestToken"], first["RequestToken"])
        self.assertEqual(replay["OperationStatus"], "SUCCESS")
        self.assert_error(
            "ClientTokenConflictException", 400, self.cc.create_resource, TypeName=LOG_GROUP, DesiredState=json.dumps({"LogGroupName": group + "x"}), ClientToken=token
        )

    def test_region_isolation(self):
        group = name("b3-iso")
        done = self.create_log_group(group)
        other = make_client(region="eu-central-1")
        self.assert_error("RequestTokenNotFoundException", 400, other.get_resource_request_status, RequestToken=done["RequestToken"])
        self.assert_error("ResourceNotFoundException", 400, other.get_resource, TypeName=LOG_GROUP, Identifier=group)
        listed = other.list_resources(TypeName=LOG_GROUP)["ResourceDescriptions"]
        self.assertNotIn(group, [d["Identifier"] for d in listed])
        another_account = make_client(access_key="444455556666")
        self.assert_error("ResourceNotFoundException", 400, another_account.get_resource, TypeName=LOG_GROUP, Identifier=group)


class Cancel(CloudControlTestCase):
    def setUp(self):
        admin("PUT", "/_ccapi/faults", {"rules": [{"typeName": TOPIC, "operation": "CREATE", "delayMs": 5000}]})

    def tearDown(self):
        admin("DELETE", "/_ccapi/faults")

    def test_cancel_in_flight_request(self):
        event = self.cc.create_resource(TypeName=TOPIC, DesiredState=json.dumps({"TopicName": name("b3-topic")}))["ProgressEvent"]
        self.assertEqual(event["OperationStatus"], "IN_PROGRESS")
        self.assertIsInstance(event["RetryAfter"], datetime.datetime)
        self.assertGreater(event["RetryAfter"], datetime.datetime.now(datetime.timezone.utc))
        cancelled = self.cc.cancel_resource_request(RequestToken=event["RequestToken"])["ProgressEvent"]
        self.assertEqual(cancelled["OperationStatus"], "CANCEL_IN_PROGRESS")
        self.wait_terminal(event["RequestToken"], status="CANCEL_COMPLETE", timeout=4)
        again = self.cc.cancel_resource_request(RequestToken=event["RequestToken"])["ProgressEvent"]
        self.assertEqual(again["OperationStatus"], "CANCEL_COMPLETE")
        with self.assertRaises(WaiterError):
            self.cc.get_waiter("resource_request_success").wait(RequestToken=event["RequestToken"], WaiterConfig={"Delay": 1, "MaxAttempts": 2})

    def test_cancel_of_finished_request_is_validation_exception(self):
        done = self.create_log_group(name("b3-cancel-done"))
        error = self.assert_error("ValidationException", 400, self.cc.cancel_resource_request, RequestToken=done["RequestToken"])
        self.assertEqual(error.response["Error"]["Message"], f"Request {done['RequestToken']} is already in status SUCCESS")


if __name__ == "__main__":
    unittest.main(verbosity=2)
