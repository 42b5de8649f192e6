"""boto3 against a ccapi server in strict mode (--credentials FILE): SigV4 verification as botocore signs,
the errors botocore surfaces for bad credentials, and STS GetCallerIdentity (query protocol).

Run by test/e2e/strict/sigv4.test.ts against a server it started, with the credentials it configured:
    CCAPI_ENDPOINT=http://127.0.0.1:PORT
    CCAPI_ALICE=<access key>:<secret>:<account>:<user name>       (an IAM user)
    CCAPI_BOB=<access key>:<secret>:<account>                      (an account root)
    CCAPI_TEMP=<access key>:<secret>:<account>:<session token>     (temporary credentials)
    python3 strict_suite.py -v
"""
import datetime
import json
import os
import re
import unittest
import urllib.error
import urllib.request
import uuid
from unittest import mock

import boto3
import botocore.auth
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["CCAPI_ENDPOINT"]
REGION = "us-east-1"
LOG_GROUP = "AWS::Logs::LogGroup"
RUN = uuid.uuid4().hex[:8]


def _cred(var):
    parts = os.environ[var].split(":", 3)
    return {"key": parts[0], "secret": parts[1], "account": parts[2], "extra": parts[3] if len(parts) > 3 else None}


ALICE = _cred("CCAPI_ALICE")
BOB = _cred("CCAPI_BOB")
TEMP = _cred("CCAPI_TEMP")
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


def client(service, key, secret, token=None, region=REGION, config=NO_RETRIES):
    return boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=config,
    )


def name(prefix):
    return f"{prefix}-{RUN}-{uuid.uuid4().hex[:6]}"


class StrictTestCase(unittest.TestCase):
    def assertClientError(self, call, code, status, message=None):
        with self.assertRaises(ClientError) as caught:
            call()
        error = caught.exception.response["Error"]
        self.assertEqual(error["Code"], code, caught.exception.response)
        self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], status, caught.exception.response)
        if message is not None:
            self.assertRegex(error.get("Message", ""), message)
        return caught.exception.response


class CloudControlSigV4(StrictTestCase):
    def test_good_credentials_create_wait_get(self):
        cc = client("cloudcontrol", ALICE["key"], ALICE["secret"])
        group = name("boto3-strict")
        event = cc.create_resource(TypeName=LOG_GROUP, DesiredState=json.dumps({"LogGroupName": group}))["ProgressEvent"]
        cc.get_waiter("resource_request_success").wait(RequestToken=event["RequestToken"], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        props = json.loads(cc.get_resource(TypeName=LOG_GROUP, Identifier=group)["ResourceDescription"]["Properties"])
        self.assertEqual(props["LogGroupName"], group)
        # The account in the ARN is the credential's, not anything the client said.
        self.assertEqual(props["Arn"], f"arn:aws:logs:{REGION}:{ALICE['account']}:log-group:{group}:*")

    def test_wrong_secret_is_invalid_signature(self):
        cc = client("cloudcontrol", ALICE["key"], "not-the-secret")
        self.assertClientError(lambda: cc.list_resource_requests(), "InvalidSignatureException", 400, r"signature we calculated does not match")

    def test_unknown_key_is_unrecognized_client(self):
        cc = client("cloudcontrol", "AKIANOBODY0000000000", "whatever")
        self.assertClientError(lambda: cc.list_resource_requests(), "UnrecognizedClientException", 400, r"security token included in the request is invalid")

    def test_temporary_credentials_need_their_session_token(self):
        without = client("cloudcontrol", TEMP["key"], TEMP["secret"])
        self.assertClientError(lambda: without.list_resource_requests(), "UnrecognizedClientException", 400)
        wrong = client("cloudcontrol", TEMP["key"], TEMP["secret"], token="not-the-token")
        self.assertClientError(lambda: wrong.list_resource_requests(), "UnrecognizedClientException", 400)
        good = client("cloudcontrol", TEMP["key"], TEMP["secret"], token=TEMP["extra"])
        self.assertIn("ResourceRequestStatusSummaries", good.list_resource_requests())

    def test_signature_older_than_15_minutes_is_expired(self):
        cc = client("cloudcontrol", ALICE["key"], ALICE["secret"])
        real = botocore.auth.get_current_datetime
        late = lambda *a, **k: real(*a, **k) - datetime.timedelta(minutes=20)  # noqa: E731
        with mock.patch.object(botocore.auth, "get_current_datetime", late):
            self.assertClientError(lambda: cc.list_resource_requests(), "InvalidSignatureException", 400, r"^Signature expired: \d{8}T\d{6}Z is now earlier than")
        # The same client signs with the right time again: it works.
        self.assertIn("ResourceRequestStatusSummaries", cc.list_resource_requests())


class Sts(StrictTestCase):
    def test_identity_of_an_iam_user(self):
        sts = client("sts", ALICE["key"], ALICE["secret"])
        out = sts.get_caller_identity()
        self.assertEqual(out["Account"], ALICE["account"])
        self.assertEqual(out["Arn"], f"arn:aws:iam::{ALICE['account']}:user/{ALICE['extra']}")
        self.assertRegex(out["UserId"], r"^AIDA[A-Z0-9]{17}$")
        self.assertEqual(out["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertRegex(out["ResponseMetadata"]["RequestId"], r"^[0-9a-f-]{36}$")

    def test_identity_of_an_account_root(self):
        out = client("sts", BOB["key"], BOB["secret"]).get_caller_identity()
        self.assertEqual(out["Account"], BOB["account"])
        self.assertEqual(out["Arn"], f"arn:aws:iam::{BOB['account']}:root")
        self.assertEqual(out["UserId"], BOB["account"])

    def test_identity_with_temporary_credentials(self):
        out = client("sts", TEMP["key"], TEMP["secret"], token=TEMP["extra"]).get_caller_identity()
        self.assertEqual(out["Account"], TEMP["account"])
        self.assertRegex(out["Arn"], rf"^arn:aws:(iam|sts)::{TEMP['account']}:")

    def test_identity_is_the_same_in_any_region(self):
        out = client("sts", ALICE["key"], ALICE["secret"], region="eu-west-1").get_caller_identity()
        self.assertEqual(out["Account"], ALICE["account"])

    def test_wrong_secret_is_signature_does_not_match(self):
        sts = client("sts", ALICE["key"], "not-the-secret")
        response = self.assertClientError(lambda: sts.get_caller_identity(), "SignatureDoesNotMatch", 403)
        self.assertEqual(response["Error"].get("Type"), "Sender")

    def test_unknown_key_is_invalid_client_token_id(self):
        sts = client("sts", "AKIANOBODY0000000000", "whatever")
        response = self.assertClientError(lambda: sts.get_caller_identity(), "InvalidClientTokenId", 403, r"security token included in the request is invalid")
        self.assertEqual(response["Error"].get("Type"), "Sender")

    def test_temporary_credentials_without_token_are_invalid_client_token_id(self):
        sts = client("sts", TEMP["key"], TEMP["secret"])
        self.assertClientError(lambda: sts.get_caller_identity(), "InvalidClientTokenId", 403)

    def test_expired_signature(self):
        sts = client("sts", BOB["key"], BOB["secret"])
        real = botocore.auth.get_current_datetime
        late = lambda *a, **k: real(*a, **k) - datetime.timedelta(minutes=20)  # noqa: E731
        with mock.patch.object(botocore.auth, "get_current_datetime", late):
            self.assertClientError(lambda: sts.get_caller_identity(), "SignatureDoesNotMatch", 403, r"^Signature expired")

    def test_presigned_get_caller_identity_url(self):
        # What aws-iam-authenticator and Vault do: a presigned GET the server answers for whoever signed it.
        sts = client("sts", ALICE["key"], ALICE["secret"])
        url = sts.generate_presigned_url("get_caller_identity", ExpiresIn=60, HttpMethod="GET")
        self.assertIn("X-Amz-Signature=", url)
        with urllib.request.urlopen(url, timeout=10) as res:
            self.assertEqual(res.status, 200)
            text = res.read().decode()
        self.assertIn(f"<Account>{ALICE['account']}</Account>", text)
        self.assertIn(f"<Arn>arn:aws:iam::{ALICE['account']}:user/{ALICE['extra']}</Arn>", text)
        # botocore's default presigned URL is signed for the model's method, POST.
        post_url = sts.generate_presigned_url("get_caller_identity", ExpiresIn=60)
        with urllib.request.urlopen(urllib.request.Request(post_url, data=b"", method="POST"), timeout=10) as res:
            self.assertEqual(res.status, 200)
            self.assertIn(f"<Account>{ALICE['account']}</Account>", res.read().decode())
        # The same URL with its signature changed is refused with the query protocol's error.
        tampered = re.sub(r"X-Amz-Signature=([0-9a-f])", lambda m: "X-Amz-Signature=" + ("1" if m.group(1) == "0" else "0"), url)
        self.assertNotEqual(tampered, url)
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(tampered, timeout=10)
        self.assertEqual(caught.exception.code, 403)
        self.assertIn("<Code>SignatureDoesNotMatch</Code>", caught.exception.read().decode())


if __name__ == "__main__":
    unittest.main(verbosity=2)
