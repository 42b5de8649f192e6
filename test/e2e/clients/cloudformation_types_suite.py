"""End-to-end tests of ccapi's CloudFormation type API (DescribeType, ListTypes) with boto3's cloudformation client.

Run by test/e2e/cloudformation-types.test.ts against a server it started:
    CCAPI_ENDPOINT=http://127.0.0.1:PORT CCAPI_CATALOGUE_DIR=dist/catalogue python3 cloudformation_types_suite.py
With CCAPI_SCHEMAS_ZIP set (a server started with --schemas ZIP), the registry-bundle tests run instead.
botocore speaks the query protocol here: form-encoded Action=...&Version=2010-05-15, XML answers.
"""
import datetime
import json
import os
import unittest
import zipfile

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["CCAPI_ENDPOINT"]
CATALOGUE_DIR = os.environ.get("CCAPI_CATALOGUE_DIR")
SCHEMAS_ZIP = os.environ.get("CCAPI_SCHEMAS_ZIP")


def make_client(region="us-east-1"):
    return boto3.client(
        "cloudformation",
        endpoint_url=ENDPOINT,
        region_name=region,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret-for-tests",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def built_in_catalogue():
    """{typeName: schema} from the built-in catalogue files the server reads (dist/catalogue)."""
    with open(os.path.join(CATALOGUE_DIR, "index.json")) as f:
        index = json.load(f)["types"]
    out = {}
    with open(os.path.join(CATALOGUE_DIR, "schemas.jsonl"), "rb") as f:
        for name, (offset, length) in index.items():
            f.seek(offset)
            out[name] = json.loads(f.read(length))
    return out


def loads_as_js(text):
    """json.loads, with integers past 2**53 read as doubles, as JavaScript's JSON.parse reads them.

    Used for built-in catalogue schemas, which DescribeType serialises from parsed JSON; bundle schemas are
    returned as their published text and compared exactly.
    """
    return json.loads(text, parse_int=lambda s: int(s) if abs(int(s)) <= 2**53 else float(int(s)))


def without_ccapi_keys(schema):
    return {k: v for k, v in schema.items() if not k.startswith("x-ccapi-")}


@unittest.skipIf(SCHEMAS_ZIP, "the server runs with a registry bundle")
class BuiltInCatalogue(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cf = make_client()
        cls.catalogue = built_in_catalogue()

    def test_describe_type_returns_the_schema_and_the_registry_fields(self):
        out = self.cf.describe_type(Type="RESOURCE", TypeName="AWS::S3::Bucket")
        schema = json.loads(out["Schema"])
        self.assertEqual(schema, without_ccapi_keys(self.catalogue["AWS::S3::Bucket"]))
        self.assertEqual(out["Arn"], "arn:aws:cloudformation:us-east-1::type/resource/AWS-S3-Bucket")
        self.assertEqual(out["Type"], "RESOURCE")
        self.assertEqual(out["TypeName"], "AWS::S3::Bucket")
        self.assertEqual(out["ProvisioningType"], "FULLY_MUTABLE")
        self.assertIs(out["IsDefaultVersion"], True)
        self.assertEqual(out["DefaultVersionId"], "00000001")
        self.assertEqual(out["Visibility"], "PUBLIC")
        self.assertEqual(out["DeprecatedStatus"], "LIVE")
        self.assertNotIn("Description", out, "the built-in catalogue has no descriptions")
        for member in ("LastUpdated", "TimeCreated"):
            self.assertIsInstance(out[member], datetime.datetime, member)
            self.assertIsNotNone(out[member].tzinfo, member)
            age = datetime.datetime.now(datetime.timezone.utc) - out[member]
            self.assertLess(abs(age.total_seconds()), 600, f"{member} is the server's registration time")
        self.assertEqual(out["ResponseMetadata"]["HTTPHeaders"]["content-type"], "text/xml")

    def test_describe_type_by_arn_and_the_region_in_arns(self):
        eu = make_client("eu-west-1")
        by_name = eu.describe_type(Type="RESOURCE", TypeName="AWS::SQS::Queue")
        self.assertEqual(by_name["Arn"], "arn:aws:cloudformation:eu-west-1::type/resource/AWS-SQS-Queue")
        by_arn = eu.describe_type(Arn=by_name["Arn"])
        self.assertEqual(by_arn["TypeName"], "AWS::SQS::Queue")
        self.assertEqual(by_arn["Schema"], by_name["Schema"])
        versioned = eu.describe_type(Arn=by_name["Arn"] + "/00000001")
        self.assertEqual(versioned["TypeName"], "AWS::SQS::Queue")

    def test_the_biggest_schemas_round_trip(self):
        names = sorted(self.catalogue)
        biggest = sorted(names, key=lambda n: -len(json.dumps(self.catalogue[n])))[:3]
        for name in biggest + [names[0], names[-1]]:
            out = self.cf.describe_type(Type="RESOURCE", TypeName=name)
            self.assertEqual(json.loads(out["Schema"]), without_ccapi_keys(self.catalogue[name]), name)

    def test_unknown_type_is_type_not_found_404(self):
        with self.assertRaises(self.cf.exceptions.TypeNotFoundException) as caught:
            self.cf.describe_type(Type="RESOURCE", TypeName="AWS::S3::Nope")
        error = caught.exception.response
        self.assertEqual(error["Error"]["Code"], "TypeNotFoundException")
        self.assertEqual(error["Error"]["Message"], "The type 'AWS::S3::Nope' cannot be found.")
        self.assertEqual(error["Error"]["Type"], "Sender")
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 404)
        self.assertRegex(error["ResponseMetadata"]["RequestId"], r"^[0-9a-f-]{36}$")
        with self.assertRaises(ClientError) as by_arn:
            self.cf.describe_type(Arn="arn:aws:cloudformation:us-east-1::type/resource/AWS-S3-Nope")
        self.assertEqual(by_arn.exception.response["Error"]["Code"], "TypeNotFoundException")

    def test_validation_errors(self):
        with self.assertRaises(ClientError) as bad_name:
            self.cf.describe_type(Type="RESOURCE", TypeName="Custom::Thing")
        self.assertEqual(bad_name.exception.response["Error"]["Code"], "ValidationError")
        self.assertEqual(bad_name.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertIn("Value 'Custom::Thing' at 'typeName' failed to satisfy constraint", bad_name.exception.response["Error"]["Message"])
        with self.assertRaises(ClientError) as neither:
            self.cf.describe_type(TypeName="AWS::S3::Bucket")
        self.assertEqual(neither.exception.response["Error"]["Code"], "ValidationError")
        self.assertEqual(neither.exception.response["Error"]["Message"], "You must specify either TypeName and Type, or Arn.")
        with self.assertRaises(ClientError) as prefix:
            self.cf.list_types(Visibility="PUBLIC", Filters={"TypeNamePrefix": "A"})
        self.assertEqual(
            prefix.exception.response["Error"]["Message"],
            "1 validation error detected: Value 'A' at 'filters.typeNamePrefix' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: ([A-Za-z0-9]{2,64}::){0,2}([A-Za-z0-9]{2,64}:?){0,1}(:[A-Za-z0-9:]{2,64}){0,1}",
        )

    def test_list_types_paginator_with_a_prefix(self):
        pages = list(
            self.cf.get_paginator("list_types").paginate(
                Visibility="PUBLIC", Type="RESOURCE", Filters={"TypeNamePrefix": "AWS::EC2::"}, PaginationConfig={"PageSize": 7}
            )
        )
        names = [s["TypeName"] for page in pages for s in page["TypeSummaries"]]
        expected = sorted(n for n in self.catalogue if n.startswith("AWS::EC2::"))
        self.assertGreater(len(expected), 50)
        self.assertEqual(names, expected)
        self.assertEqual(len(pages), -(-len(expected) // 7))
        self.assertNotIn("NextToken", pages[-1])
        self.assertIn("NextToken", pages[0])
        first = pages[0]["TypeSummaries"][0]
        self.assertEqual(first["TypeArn"], "arn:aws:cloudformation:us-east-1::type/resource/" + first["TypeName"].replace("::", "-"))
        self.assertEqual(first["Type"], "RESOURCE")
        self.assertEqual(first["DefaultVersionId"], "00000001")
        self.assertIsInstance(first["LastUpdated"], datetime.datetime)

    def test_list_types_lists_every_public_aws_type(self):
        names = [
            s["TypeName"]
            for page in self.cf.get_paginator("list_types").paginate(
                Visibility="PUBLIC", ProvisioningType="FULLY_MUTABLE", DeprecatedStatus="LIVE", Filters={"Category": "AWS_TYPES"}
            )
            for s in page["TypeSummaries"]
        ]
        self.assertEqual(names, sorted(self.catalogue))

    def test_list_types_filters_that_match_nothing_here(self):
        self.assertEqual(self.cf.list_types()["TypeSummaries"], [], "Visibility defaults to PRIVATE: no registered types")
        self.assertEqual(self.cf.list_types(Visibility="PUBLIC", ProvisioningType="IMMUTABLE")["TypeSummaries"], [])
        self.assertEqual(self.cf.list_types(Visibility="PUBLIC", Type="HOOK")["TypeSummaries"], [])
        self.assertEqual(self.cf.list_types(Visibility="PUBLIC", Filters={"Category": "THIRD_PARTY"})["TypeSummaries"], [])
        one = self.cf.list_types(Visibility="PUBLIC", MaxResults=1)
        self.assertEqual(len(one["TypeSummaries"]), 1)
        self.assertIn("NextToken", one)


@unittest.skipUnless(SCHEMAS_ZIP, "needs a server started with --schemas")
class RegistryBundle(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cf = make_client()
        cls.zip = zipfile.ZipFile(SCHEMAS_ZIP)

    def bundled(self, type_name):
        return json.loads(self.zip.read(type_name.lower().replace("::", "-") + ".json"))

    def test_describe_type_eks_nodegroup_from_the_bundle(self):
        out = self.cf.describe_type(Type="RESOURCE", TypeName="AWS::EKS::Nodegroup")
        expected = self.bundled("AWS::EKS::Nodegroup")
        self.assertEqual(json.loads(out["Schema"]), expected)
        self.assertEqual(out["Description"], expected["description"])
        self.assertEqual(out["SourceUrl"], expected["sourceUrl"])
        self.assertEqual(out["ProvisioningType"], "FULLY_MUTABLE")

    def test_schemas_with_xml_special_characters_round_trip(self):
        # Patterns and descriptions with <, > and & must come back exactly through the XML response.
        files = [n for n in sorted(self.zip.namelist()) if any(c in self.zip.read(n).decode() for c in "<>&")]
        self.assertGreater(len(files), 20)
        for name in files[:: max(1, len(files) // 12)]:
            text = self.zip.read(name).decode()
            out = self.cf.describe_type(Type="RESOURCE", TypeName=json.loads(text)["typeName"])
            self.assertEqual(out["Schema"], text, name)

    def test_schema_text_is_returned_exactly_as_published(self):
        # Bounds past 2**53 (Long.MAX_VALUE and near it) would not survive a trip through JavaScript numbers.
        for type_name in ("AWS::KinesisAnalyticsV2::Application", "AWS::GreengrassV2::Deployment"):
            text = self.zip.read(type_name.lower().replace("::", "-") + ".json").decode()
            self.assertRegex(text, r"\d{17,}")  # an integer past 2**53
            self.assertEqual(self.cf.describe_type(Type="RESOURCE", TypeName=type_name)["Schema"], text)

    def test_provisioning_types_follow_the_bundled_handlers(self):
        self.assertEqual(self.cf.describe_type(Type="RESOURCE", TypeName="AWS::ACMPCA::Certificate")["ProvisioningType"], "IMMUTABLE")
        self.assertEqual(self.cf.describe_type(Type="RESOURCE", TypeName="Alexa::ASK::Skill")["ProvisioningType"], "NON_PROVISIONABLE")
        immutable = [
            s["TypeName"]
            for page in self.cf.get_paginator("list_types").paginate(
                Visibility="PUBLIC", ProvisioningType="IMMUTABLE", Filters={"TypeNamePrefix": "AWS::ACMPCA::"}
            )
            for s in page["TypeSummaries"]
        ]
        self.assertIn("AWS::ACMPCA::Certificate", immutable)
        self.assertNotIn("AWS::ACMPCA::CertificateAuthority", immutable)


if __name__ == "__main__":
    unittest.main()
