"""End-to-end tests of reference checks (issue #15) with boto3 and botocore's waiter.

Run by test/e2e/references-boto3.test.ts against two servers it started:
    CCAPI_ENDPOINT (default --references strict) and CCAPI_WARN_ENDPOINT (--references warn).
"""
import json
import os
import re
import unittest
import urllib.request
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import WaiterError

ENDPOINT = os.environ["CCAPI_ENDPOINT"]
WARN_ENDPOINT = os.environ["CCAPI_WARN_ENDPOINT"]
ACCOUNT = "000000000000"
RUN = uuid.uuid4().hex[:8]
ASSUME_LAMBDA = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
REQUEST_ID = r"[0-9a-f-]{36}"


def client(endpoint=ENDPOINT):
    return boto3.client("cloudcontrol", endpoint_url=endpoint, region_name="us-east-1", config=Config(retries={"max_attempts": 1, "mode": "standard"}))


def name(prefix):
    return f"{prefix}-{RUN}-{uuid.uuid4().hex[:6]}"


def wait(c, token):
    """The request's final event, through the waiter botocore ships (FAILED raises WaiterError)."""
    try:
        c.get_waiter("resource_request_success").wait(RequestToken=token, WaiterConfig={"Delay": 0.2, "MaxAttempts": 150})
    except WaiterError:
        pass
    return c.get_resource_request_status(RequestToken=token)["ProgressEvent"]


def create(c, type_name, desired):
    accepted = c.create_resource(TypeName=type_name, DesiredState=json.dumps(desired))["ProgressEvent"]
    return accepted, wait(c, accepted["RequestToken"])


def created(c, type_name, desired):
    _, done = create(c, type_name, desired)
    assert done["OperationStatus"] == "SUCCESS", done
    return json.loads(c.get_resource(TypeName=type_name, Identifier=done["Identifier"])["ResourceDescription"]["Properties"])


def function(role_arn):
    return {"FunctionName": name("fn"), "Role": role_arn, "Runtime": "python3.12", "Handler": "index.handler", "Code": {"ZipFile": "def handler(e, c): return 1"}}


class StrictReferences(unittest.TestCase):
    def setUp(self):
        self.c = client()

    def test_subnet_in_missing_vpc_is_accepted_then_failed_like_ec2(self):
        accepted, done = create(self.c, "AWS::EC2::Subnet", {"VpcId": "vpc-0b0t0doesnotexist", "CidrBlock": "10.0.1.0/24"})
        self.assertEqual(accepted["OperationStatus"], "IN_PROGRESS")
        self.assertEqual(done["OperationStatus"], "FAILED")
        self.assertEqual(done["ErrorCode"], "InvalidRequest")
        self.assertRegex(done["StatusMessage"], rf"^The vpc ID 'vpc-0b0t0doesnotexist' does not exist \(Service: Ec2, Status Code: 400, Request ID: {REQUEST_ID}\)$")

    def test_subnet_in_the_vpc_just_created_succeeds(self):
        vpc = created(self.c, "AWS::EC2::VPC", {"CidrBlock": "10.40.0.0/16"})
        subnet = created(self.c, "AWS::EC2::Subnet", {"VpcId": vpc["VpcId"], "CidrBlock": "10.40.1.0/24"})
        self.assertEqual(subnet["VpcId"], vpc["VpcId"])

    def test_function_with_missing_role_fails_and_with_its_role_succeeds(self):
        _, done = create(self.c, "AWS::Lambda::Function", function(f"arn:aws:iam::{ACCOUNT}:role/{name('missing')}"))
        self.assertEqual((done["OperationStatus"], done["ErrorCode"]), ("FAILED", "InvalidRequest"))
        self.assertRegex(done["StatusMessage"], rf"^The role defined for the function cannot be assumed by Lambda\. \(Service: Lambda, Status Code: 400, Request ID: {REQUEST_ID}\)$")
        role = created(self.c, "AWS::IAM::Role", {"RoleName": name("role"), "AssumeRolePolicyDocument": ASSUME_LAMBDA})
        fn = created(self.c, "AWS::Lambda::Function", function(role["Arn"]))
        self.assertEqual(fn["Role"], role["Arn"])

    def test_aws_managed_policy_and_other_account_are_never_checked(self):
        created(self.c, "AWS::IAM::Role", {"AssumeRolePolicyDocument": ASSUME_LAMBDA, "ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]})
        created(self.c, "AWS::Lambda::Function", function("arn:aws:iam::111122223333:role/theirs"))


class WarnReferences(unittest.TestCase):
    def test_warn_accepts_and_records_the_broken_reference_in_the_timeline(self):
        c = client(WARN_ENDPOINT)
        accepted, done = create(c, "AWS::EC2::Subnet", {"VpcId": "vpc-0b0t0warned00000", "CidrBlock": "10.0.1.0/24"})
        self.assertEqual(done["OperationStatus"], "SUCCESS")
        self.assertNotIn("StatusMessage", done)
        with urllib.request.urlopen(f"{WARN_ENDPOINT}/_ccapi/requests/{accepted['RequestToken']}/events", timeout=10) as res:
            events = json.loads(res.read())["Events"]
        self.assertTrue(re.search(r"broken reference: AWS::EC2::Subnet VpcId 'vpc-0b0t0warned00000' names no existing AWS::EC2::VPC", events[-1]["Detail"]), events)


if __name__ == "__main__":
    unittest.main()
