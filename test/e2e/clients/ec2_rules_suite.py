"""End-to-end tests of the EC2 and ECS service rules (issue #15 parts 3 and 4) with boto3.

Run by test/e2e/ec2-rules-boto3.test.ts against a server it started (CCAPI_ENDPOINT, AWS credentials and
AWS_DEFAULT_REGION in the environment). The refused deletes are accepted, then FAILED at the handler step with the
service's HandlerErrorCode and message, and delete nothing; the boto3 waiter reports them as failures.
"""
import json
import os
import time
import unittest
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import WaiterError

ENDPOINT = os.environ["CCAPI_ENDPOINT"]
REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
TERMINAL = {"SUCCESS", "FAILED", "CANCEL_COMPLETE"}
REQUEST_ID = r"Request ID: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\)$"


def make_client():
    return boto3.client(
        "cloudcontrol",
        endpoint_url=ENDPOINT,
        region_name=REGION,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


class Ec2RulesTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cc = make_client()

    def wait_terminal(self, token, timeout=30.0):
        deadline = time.monotonic() + timeout
        while True:
            event = self.cc.get_resource_request_status(RequestToken=token)["ProgressEvent"]
            if event["OperationStatus"] in TERMINAL:
                return event
            if time.monotonic() > deadline:
                self.fail(f"request {token} still {event['OperationStatus']} after {timeout} s")
            time.sleep(0.02)

    def create_request(self, type_name, desired):
        event = self.cc.create_resource(TypeName=type_name, DesiredState=json.dumps(desired))["ProgressEvent"]
        self.assertEqual(event["OperationStatus"], "IN_PROGRESS")
        return self.wait_terminal(event["RequestToken"])

    def create(self, type_name, desired):
        done = self.create_request(type_name, desired)
        self.assertEqual(done["OperationStatus"], "SUCCESS", done)
        return done["Identifier"]

    def delete(self, type_name, identifier):
        event = self.cc.delete_resource(TypeName=type_name, Identifier=identifier)["ProgressEvent"]
        self.assertEqual(event["OperationStatus"], "IN_PROGRESS")
        return self.wait_terminal(event["RequestToken"])

    def properties(self, type_name, identifier):
        return json.loads(self.cc.get_resource(TypeName=type_name, Identifier=identifier)["ResourceDescription"]["Properties"])


class RefusedDeletes(Ec2RulesTestCase):
    def test_vpc_with_subnet_is_refused_then_deleted(self):
        vpc = self.create("AWS::EC2::VPC", {"CidrBlock": "10.60.0.0/16"})
        subnet = self.create("AWS::EC2::Subnet", {"VpcId": vpc, "CidrBlock": "10.60.0.0/24"})
        event = self.cc.delete_resource(TypeName="AWS::EC2::VPC", Identifier=vpc)["ProgressEvent"]
        with self.assertRaises(WaiterError) as caught:
            self.cc.get_waiter("resource_request_success").wait(RequestToken=event["RequestToken"], WaiterConfig={"Delay": 1, "MaxAttempts": 10})
        failed = caught.exception.last_response["ProgressEvent"]
        self.assertEqual(failed["OperationStatus"], "FAILED")
        self.assertEqual(failed["ErrorCode"], "InvalidRequest")
        self.assertRegex(failed["StatusMessage"], f"^The vpc '{vpc}' has dependencies and cannot be deleted\\. \\(Service: Ec2, Status Code: 400, " + REQUEST_ID)
        self.assertEqual(self.properties("AWS::EC2::VPC", vpc)["VpcId"], vpc, "nothing deleted")
        self.assertEqual(self.delete("AWS::EC2::Subnet", subnet)["OperationStatus"], "SUCCESS")
        self.assertEqual(self.delete("AWS::EC2::VPC", vpc)["OperationStatus"], "SUCCESS")

    def test_attached_internet_gateway_is_refused(self):
        vpc = self.create("AWS::EC2::VPC", {"CidrBlock": "10.61.0.0/16"})
        igw = self.create("AWS::EC2::InternetGateway", {})
        attachment = self.create("AWS::EC2::VPCGatewayAttachment", {"VpcId": vpc, "InternetGatewayId": igw})
        failed = self.delete("AWS::EC2::InternetGateway", igw)
        self.assertEqual((failed["OperationStatus"], failed["ErrorCode"]), ("FAILED", "InvalidRequest"))
        self.assertRegex(failed["StatusMessage"], f"^The internetGateway '{igw}' has dependencies and cannot be deleted\\. ")
        self.assertEqual(self.delete("AWS::EC2::VPCGatewayAttachment", attachment)["OperationStatus"], "SUCCESS")
        self.assertEqual(self.delete("AWS::EC2::InternetGateway", igw)["OperationStatus"], "SUCCESS")

    def test_ecs_cluster_with_service_is_refused(self):
        cluster = f"cl-{uuid.uuid4().hex[:8]}"
        self.create("AWS::ECS::Cluster", {"ClusterName": cluster})
        service = self.create("AWS::ECS::Service", {"ServiceName": f"svc-{uuid.uuid4().hex[:8]}", "Cluster": cluster})
        failed = self.delete("AWS::ECS::Cluster", cluster)
        self.assertEqual(failed["ErrorCode"], "GeneralServiceException")
        self.assertIn("The Cluster cannot be deleted while Services are active.", failed["StatusMessage"])
        self.assertEqual(self.delete("AWS::ECS::Service", service)["OperationStatus"], "SUCCESS")
        self.assertEqual(self.delete("AWS::ECS::Cluster", cluster)["OperationStatus"], "SUCCESS")


class NetworkingRules(Ec2RulesTestCase):
    def test_subnet_cidr_rules(self):
        vpc = self.create("AWS::EC2::VPC", {"CidrBlock": "10.62.0.0/16"})
        self.create("AWS::EC2::Subnet", {"VpcId": vpc, "CidrBlock": "10.62.0.0/20"})
        conflict = self.create_request("AWS::EC2::Subnet", {"VpcId": vpc, "CidrBlock": "10.62.8.0/24"})
        self.assertEqual((conflict["OperationStatus"], conflict["ErrorCode"]), ("FAILED", "AlreadyExists"))
        self.assertRegex(conflict["StatusMessage"], r"^The CIDR '10\.62\.8\.0/24' conflicts with another subnet \(Service: Ec2, Status Code: 400, " + REQUEST_ID)
        outside = self.create_request("AWS::EC2::Subnet", {"VpcId": vpc, "CidrBlock": "192.168.0.0/24"})
        self.assertEqual(outside["ErrorCode"], "InvalidRequest")
        self.assertRegex(outside["StatusMessage"], r"^The CIDR '192\.168\.0\.0/24' is invalid\. ")
        free = self.create("AWS::EC2::Subnet", {"VpcId": vpc, "CidrBlock": "10.62.16.0/24"})
        self.assertEqual(self.properties("AWS::EC2::Subnet", free)["AvailabilityZone"], f"{REGION}a")

    def test_security_group_name_unique_per_vpc(self):
        vpc = self.create("AWS::EC2::VPC", {"CidrBlock": "10.63.0.0/16"})
        group = f"grp-{uuid.uuid4().hex[:8]}"
        self.create("AWS::EC2::SecurityGroup", {"GroupDescription": "d", "GroupName": group, "VpcId": vpc})
        duplicate = self.create_request("AWS::EC2::SecurityGroup", {"GroupDescription": "d", "GroupName": group, "VpcId": vpc})
        self.assertEqual(duplicate["ErrorCode"], "AlreadyExists")
        self.assertRegex(duplicate["StatusMessage"], f"^The security group '{group}' already exists for VPC '{vpc}' ")


if __name__ == "__main__":
    unittest.main()
