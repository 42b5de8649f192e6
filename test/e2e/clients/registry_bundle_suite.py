"""End-to-end tests of ccapi serving AWS's official CloudFormation schemas (issue #3, "Registry fidelity"), with boto3.

Run by test/e2e/registry-bundle.test.ts against a server it started with `--schemas <CloudformationSchema.zip>`:
    CCAPI_ENDPOINT=http://127.0.0.1:PORT CCAPI_SCHEMAS_ZIP=../shared/cfn-schemas/CloudformationSchema.zip \
    python3 registry_bundle_suite.py -v
The zip is test data: it is read here to choose types and to check expectations, never copied anywhere.
Each test uses names of its own (RUN), so the order of the tests does not matter.
"""
import json
import os
import time
import unittest
import uuid
import zipfile

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["CCAPI_ENDPOINT"]
SCHEMAS_ZIP = os.environ["CCAPI_SCHEMAS_ZIP"]
REGION = "us-east-1"
ACCOUNT = "000000000000"
TERMINAL = {"SUCCESS", "FAILED", "CANCEL_COMPLETE"}
RUN = uuid.uuid4().hex[:8]

SECRET = "AWS::SecretsManager::Secret"
NODEGROUP = "AWS::EKS::Nodegroup"
ROLE_POLICY = "AWS::IAM::RolePolicy"
LOG_GROUP = "AWS::Logs::LogGroup"
KEY_PAIR = "AWS::EC2::KeyPair"
APPCONFIG_APP = "AWS::AppConfig::Application"
WAIT_HANDLE = "AWS::CloudFormation::WaitConditionHandle"

NODEGROUP_LIST_MESSAGE = (
    "Missing or invalid ResourceModel property in AWS::EKS::Nodegroup list handler request input."
    "Required property: (#: required key [ClusterName] not found)"
)


def make_client():
    return boto3.client(
        "cloudcontrol",
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret-for-tests",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=4),
    )


def name(prefix):
    return f"{prefix}-{RUN}-{uuid.uuid4().hex[:6]}"


_bundle = None


def bundle():
    """{typeName: schema} of every file in the zip (read once)."""
    global _bundle
    if _bundle is None:
        with zipfile.ZipFile(SCHEMAS_ZIP) as z:
            schemas = [json.loads(z.read(n)) for n in z.namelist() if n.endswith(".json")]
        _bundle = {s["typeName"]: s for s in schemas}
    return _bundle


def handlers(schema):
    return schema.get("handlers") or {}


def provisionable(schema):
    h = handlers(schema)
    return all(k in h for k in ("create", "read", "delete"))


class BundleTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cc = make_client()

    def wait_terminal(self, token, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            event = self.cc.get_resource_request_status(RequestToken=token)["ProgressEvent"]
            if event["OperationStatus"] in TERMINAL:
                return event
            if time.monotonic() > deadline:
                self.fail(f"request {token} still {event['OperationStatus']} after {timeout} s")
            time.sleep(0.02)

    def create(self, type_name, desired):
        event = self.cc.create_resource(TypeName=type_name, DesiredState=json.dumps(desired))["ProgressEvent"]
        done = self.wait_terminal(event["RequestToken"])
        self.assertEqual(done["OperationStatus"], "SUCCESS", done)
        self.assertTrue(done.get("Identifier"), f"no Identifier in the SUCCESS event: {done}")
        return done

    def update(self, type_name, identifier, patch):
        event = self.cc.update_resource(TypeName=type_name, Identifier=identifier, PatchDocument=json.dumps(patch))["ProgressEvent"]
        done = self.wait_terminal(event["RequestToken"])
        self.assertEqual(done["OperationStatus"], "SUCCESS", done)
        return event, done

    def properties(self, type_name, identifier):
        out = self.cc.get_resource(TypeName=type_name, Identifier=identifier)
        return out["ResourceDescription"]["Identifier"], json.loads(out["ResourceDescription"]["Properties"])

    def list_all(self, type_name, **kwargs):
        pages = self.cc.get_paginator("list_resources").paginate(TypeName=type_name, **kwargs)
        return [d for page in pages for d in page["ResourceDescriptions"]]

    def assert_error(self, code, fn, *args, message=None, **kwargs):
        with self.assertRaises(ClientError) as caught:
            fn(*args, **kwargs)
        error = caught.exception.response
        self.assertEqual(error["Error"]["Code"], code, error["Error"])
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 400, error)
        if message is not None:
            self.assertEqual(error["Error"]["Message"], message)
        return error["Error"]["Message"]


class WriteOnlyProperties(BundleTestCase):
    def test_the_bundle_declares_secret_string_write_only(self):
        # The premise of the tests below: the built-in catalogue records no writeOnly properties; the bundle does.
        self.assertIn("/properties/SecretString", bundle()[SECRET]["writeOnlyProperties"])
        self.assertEqual(bundle()[SECRET]["primaryIdentifier"], ["/properties/Id"])

    def test_secret_string_is_never_read_back(self):
        secret_name = name("rb-secret")
        tags = [{"Key": "team", "Value": "platform"}, {"Key": "Env", "Value": "test"}]
        desired = {"Name": secret_name, "Description": "e2e", "SecretString": "hunter2-" + RUN, "Tags": tags}
        accepted = self.cc.create_resource(TypeName=SECRET, DesiredState=json.dumps(desired))["ProgressEvent"]
        self.assertNotIn("hunter2", json.dumps(accepted, default=str))
        done = self.wait_terminal(accepted["RequestToken"])
        self.assertEqual(done["OperationStatus"], "SUCCESS", done)
        identifier = done["Identifier"]
        self.assertTrue(identifier)

        model = json.loads(done["ResourceModel"])
        self.assertNotIn("SecretString", model)
        self.assertEqual(model["Name"], secret_name)
        self.assertEqual(model["Description"], "e2e")
        self.assertEqual(model["Id"], identifier)
        self.assertEqual(model["Tags"], tags, "tags are stored and returned as given")

        got_identifier, props = self.properties(SECRET, identifier)
        self.assertEqual(got_identifier, identifier)
        self.assertNotIn("SecretString", props)
        self.assertEqual({k: props[k] for k in ("Name", "Description", "Id", "Tags")}, {"Name": secret_name, "Description": "e2e", "Id": identifier, "Tags": tags})

        listed = self.list_all(SECRET)
        mine = [d for d in listed if d["Identifier"] == identifier]
        self.assertEqual(len(mine), 1, listed)
        self.assertEqual(json.loads(mine[0]["Properties"])["Name"], secret_name)
        for description in listed:
            self.assertNotIn("SecretString", json.loads(description["Properties"]), description)
            self.assertNotIn("hunter2", description["Properties"])

        # Polling the finished request again still shows no secret.
        again = self.cc.get_resource_request_status(RequestToken=accepted["RequestToken"])["ProgressEvent"]
        self.assertNotIn("hunter2", again["ResourceModel"])

    def test_generate_secret_string_is_never_read_back(self):
        done = self.create(SECRET, {"Name": name("rb-gen"), "GenerateSecretString": {"PasswordLength": 24, "ExcludePunctuation": True}})
        self.assertNotIn("GenerateSecretString", json.loads(done["ResourceModel"]))
        _, props = self.properties(SECRET, done["Identifier"])
        self.assertNotIn("GenerateSecretString", props)
        self.assertIn("Name", props)

    def test_update_of_secret_string_needs_add(self):
        secret_name = name("rb-upd")
        done = self.create(SECRET, {"Name": secret_name, "SecretString": "v1", "Description": "before"})
        identifier = done["Identifier"]
        update = lambda patch: self.cc.update_resource(TypeName=SECRET, Identifier=identifier, PatchDocument=json.dumps(patch))
        expected = "Invalid patch update: writeOnlyProperties [/SecretString] can only be updated using 'add' operation"
        self.assert_error("ValidationException", update, [{"op": "replace", "path": "/SecretString", "value": "v2"}], message=expected)
        self.assert_error("ValidationException", update, [{"op": "remove", "path": "/SecretString"}], message=expected)
        # A rejected patch changes nothing, even when its other operations were fine.
        self.assert_error(
            "ValidationException",
            update,
            [{"op": "replace", "path": "/Description", "value": "never"}, {"op": "replace", "path": "/SecretString", "value": "v2"}],
            message=expected,
        )
        self.assertEqual(self.properties(SECRET, identifier)[1]["Description"], "before")
        # Nested paths inside a writeOnly object count too.
        self.assert_error(
            "ValidationException",
            update,
            [{"op": "replace", "path": "/GenerateSecretString/PasswordLength", "value": 30}],
            message="Invalid patch update: writeOnlyProperties [/GenerateSecretString] can only be updated using 'add' operation",
        )

        accepted, finished = self.update(
            SECRET, identifier, [{"op": "add", "path": "/SecretString", "value": "v2-secret"}, {"op": "replace", "path": "/Description", "value": "after"}]
        )
        self.assertEqual(accepted["Operation"], "UPDATE")
        self.assertEqual(accepted["Identifier"], identifier)
        self.assertNotIn("SecretString", json.loads(accepted["ResourceModel"]))
        self.assertEqual(json.loads(accepted["ResourceModel"])["Description"], "after")
        self.assertNotIn("v2-secret", json.dumps(finished, default=str))
        self.assertNotIn("SecretString", json.loads(finished["ResourceModel"]))
        _, props = self.properties(SECRET, identifier)
        self.assertEqual(props["Description"], "after")
        self.assertEqual(props["Name"], secret_name)
        self.assertNotIn("SecretString", props)


class ListHandlerSchema(BundleTestCase):
    def nodegroup(self, cluster):
        desired = {"ClusterName": cluster, "NodeRole": f"arn:aws:iam::{ACCOUNT}:role/rb-node-{RUN}", "Subnets": ["subnet-0123456789abcdef0"]}
        return self.create(NODEGROUP, desired)["Identifier"]

    def test_the_bundle_requires_cluster_name_to_list_nodegroups(self):
        self.assertEqual(bundle()[NODEGROUP]["handlers"]["list"]["handlerSchema"]["required"], ["ClusterName"])

    def test_list_without_resource_model_is_invalid_request(self):
        self.assert_error("InvalidRequestException", self.cc.list_resources, TypeName=NODEGROUP, message=NODEGROUP_LIST_MESSAGE)
        self.assert_error("InvalidRequestException", self.cc.list_resources, TypeName=NODEGROUP, ResourceModel="{}", message=NODEGROUP_LIST_MESSAGE)
        self.assert_error(
            "InvalidRequestException", self.cc.list_resources, TypeName=NODEGROUP, ResourceModel=json.dumps({"NodeRole": "arn:aws:iam::1:role/x"}), message=NODEGROUP_LIST_MESSAGE
        )

    def test_list_with_cluster_name_lists_that_clusters_nodegroups_only(self):
        in_x = {self.nodegroup("x"), self.nodegroup("x")}
        in_y = self.nodegroup("y")
        out = self.cc.list_resources(TypeName=NODEGROUP, ResourceModel=json.dumps({"ClusterName": "x"}))
        self.assertEqual(out["TypeName"], NODEGROUP)
        listed = {d["Identifier"]: json.loads(d["Properties"]) for d in out["ResourceDescriptions"]}
        self.assertTrue(in_x <= set(listed), f"{in_x} not all in {sorted(listed)}")
        self.assertNotIn(in_y, listed)
        self.assertEqual({p["ClusterName"] for p in listed.values()}, {"x"})
        # The filter holds on every page (the paginator repeats ResourceModel with each NextToken).
        paged = self.list_all(NODEGROUP, ResourceModel=json.dumps({"ClusterName": "x"}), PaginationConfig={"PageSize": 1})
        self.assertEqual(sorted(d["Identifier"] for d in paged), sorted(listed))
        only_y = self.list_all(NODEGROUP, ResourceModel=json.dumps({"ClusterName": "y"}))
        self.assertIn(in_y, [d["Identifier"] for d in only_y])
        self.assertTrue(in_x.isdisjoint(d["Identifier"] for d in only_y))
        self.assertEqual(self.list_all(NODEGROUP, ResourceModel=json.dumps({"ClusterName": name("empty")})), [])

    def test_an_optional_list_handler_property_filters(self):
        # AWS::Logs::LogGroup's handlerSchema declares LogGroupName without requiring it.
        self.assertEqual(bundle()[LOG_GROUP]["handlers"]["list"]["handlerSchema"]["required"], [])
        wanted, other = name("rb-filter/a"), name("rb-filter/b")
        self.create(LOG_GROUP, {"LogGroupName": wanted})
        self.create(LOG_GROUP, {"LogGroupName": other})
        filtered = self.list_all(LOG_GROUP, ResourceModel=json.dumps({"LogGroupName": wanted}))
        self.assertEqual([d["Identifier"] for d in filtered], [wanted])
        everything = [d["Identifier"] for d in self.list_all(LOG_GROUP)]
        self.assertIn(wanted, everything)
        self.assertIn(other, everything)

    def test_every_single_required_list_key_in_the_bundle_is_enforced_in_aws_words(self):
        checked = 0
        for type_name, schema in sorted(bundle().items()):
            handler_schema = handlers(schema).get("list", {}).get("handlerSchema")
            if not provisionable(schema) or not handler_schema:
                continue
            required = handler_schema.get("required", [])
            if len(required) != 1 or set(handler_schema) - {"properties", "required"}:
                continue
            self.assert_error(
                "InvalidRequestException",
                self.cc.list_resources,
                TypeName=type_name,
                message=f"Missing or invalid ResourceModel property in {type_name} list handler request input.Required property: (#: required key [{required[0]}] not found)",
            )
            checked += 1
        self.assertGreater(checked, 250)

    def test_list_handler_schemas_with_several_or_alternative_keys(self):
        checked = 0
        for type_name, schema in sorted(bundle().items()):
            handler_schema = handlers(schema).get("list", {}).get("handlerSchema")
            if not provisionable(schema) or not handler_schema:
                continue
            required = handler_schema.get("required", [])
            alternatives = set(handler_schema) - {"properties", "required"}
            if len(required) < 2 and not alternatives:
                continue
            with self.subTest(type_name):
                message = self.assert_error("InvalidRequestException", self.cc.list_resources, TypeName=type_name)
                self.assertTrue(message.startswith(f"Missing or invalid ResourceModel property in {type_name} list handler request input."), message)
                for key in required:
                    self.assertIn(f"#: required key [{key}] not found", message)
                checked += 1
        self.assertGreater(checked, 30)

    def test_types_whose_list_handler_needs_nothing_list_without_a_model(self):
        listable = [
            t
            for t, s in sorted(bundle().items())
            if provisionable(s) and "list" in handlers(s) and not handlers(s)["list"].get("handlerSchema", {}).get("required")
            and not set(handlers(s)["list"].get("handlerSchema", {})) - {"properties", "required"}
        ]
        self.assertGreater(len(listable), 1000)
        for type_name in listable[::10] + [LOG_GROUP, SECRET]:
            out = self.cc.list_resources(TypeName=type_name)
            self.assertEqual(out["TypeName"], type_name)
            self.assertIsInstance(out["ResourceDescriptions"], list)


class HandlerDerivedUnsupportedActions(BundleTestCase):
    def test_role_policy_has_no_list_handler(self):
        self.assertIn("create", handlers(bundle()[ROLE_POLICY]))
        self.assertNotIn("list", handlers(bundle()[ROLE_POLICY]))
        self.assert_error(
            "UnsupportedActionException", self.cc.list_resources, TypeName=ROLE_POLICY, message="Resource type AWS::IAM::RolePolicy does not support LIST action"
        )

    def test_every_provisionable_type_without_a_list_handler_rejects_list(self):
        types = [t for t, s in sorted(bundle().items()) if provisionable(s) and "list" not in handlers(s)]
        self.assertGreater(len(types), 50)
        for type_name in types:
            self.assert_error(
                "UnsupportedActionException", self.cc.list_resources, TypeName=type_name, message=f"Resource type {type_name} does not support LIST action"
            )

    def test_key_pair_has_no_update_handler(self):
        schema = bundle()[KEY_PAIR]
        self.assertTrue(provisionable(schema))
        self.assertNotIn("update", handlers(schema))
        key_name = name("rb-kp")
        done = self.create(KEY_PAIR, {"KeyName": key_name})
        self.assertEqual(done["Identifier"], key_name)
        self.assertEqual(self.properties(KEY_PAIR, key_name)[0], key_name)
        self.assert_error(
            "UnsupportedActionException",
            self.cc.update_resource,
            TypeName=KEY_PAIR,
            Identifier=key_name,
            PatchDocument=json.dumps([{"op": "add", "path": "/KeyType", "value": "ed25519"}]),
            message="Resource type AWS::EC2::KeyPair does not support UPDATE action",
        )
        self.assertEqual(self.properties(KEY_PAIR, key_name)[1]["KeyName"], key_name)

    def test_every_type_without_an_update_handler_rejects_update(self):
        types = [t for t, s in sorted(bundle().items()) if provisionable(s) and "update" not in handlers(s)]
        self.assertGreater(len(types), 100)
        for type_name in types:
            self.assert_error(
                "UnsupportedActionException",
                self.cc.update_resource,
                TypeName=type_name,
                Identifier="|".join(["rb-nothing"] * len(bundle()[type_name]["primaryIdentifier"])),
                PatchDocument="[]",
                message=f"Resource type {type_name} does not support UPDATE action",
            )

    def test_non_provisionable_wait_condition_handle(self):
        self.assertEqual(handlers(bundle()[WAIT_HANDLE]), {})
        self.assert_error(
            "UnsupportedActionException",
            self.cc.create_resource,
            TypeName=WAIT_HANDLE,
            DesiredState="{}",
            message="Resource type AWS::CloudFormation::WaitConditionHandle does not support CREATE action",
        )
        for action, call in [
            ("READ", lambda: self.cc.get_resource(TypeName=WAIT_HANDLE, Identifier="x")),
            ("UPDATE", lambda: self.cc.update_resource(TypeName=WAIT_HANDLE, Identifier="x", PatchDocument="[]")),
            ("DELETE", lambda: self.cc.delete_resource(TypeName=WAIT_HANDLE, Identifier="x")),
            ("LIST", lambda: self.cc.list_resources(TypeName=WAIT_HANDLE)),
        ]:
            self.assert_error("UnsupportedActionException", call, message=f"Resource type {WAIT_HANDLE} does not support {action} action")

    def test_every_non_provisionable_type_rejects_create(self):
        types = [t for t, s in sorted(bundle().items()) if not provisionable(s)]
        self.assertGreater(len(types), 150)
        for type_name in types:
            self.assert_error(
                "UnsupportedActionException",
                self.cc.create_resource,
                TypeName=type_name,
                DesiredState="{}",
                message=f"Resource type {type_name} does not support CREATE action",
            )


class Patterns(BundleTestCase):
    def test_log_group_name_pattern(self):
        self.assertIn("pattern", bundle()[LOG_GROUP]["properties"]["LogGroupName"])
        self.assert_error(
            "ValidationException",
            self.cc.create_resource,
            TypeName=LOG_GROUP,
            DesiredState=json.dumps({"LogGroupName": "a b"}),
            message="Model validation failed (#/LogGroupName: failed validation constraint for keyword [pattern])",
        )
        done = self.create(LOG_GROUP, {"LogGroupName": "a/b"})
        self.assertEqual(done["Identifier"], "a/b")
        self.assertEqual(self.properties(LOG_GROUP, "a/b")[1]["LogGroupName"], "a/b")
        # Rejected names were not created.
        self.assert_error("ResourceNotFoundException", self.cc.get_resource, TypeName=LOG_GROUP, Identifier="a b")

    def test_java_regex_constructs_from_the_bundle(self):
        # (type, property, value, accepted): each pattern uses syntax JavaScript spells differently, checked here
        # through the whole server. Java's \\Z and $ (without MULTILINE) also match before one final line terminator.
        cases = [
            ("AWS::MediaPackage::PackagingGroup", "Id", name("pg"), True),  # \A[0-9a-zA-Z-_]+\Z
            ("AWS::MediaPackage::PackagingGroup", "Id", "a b", False),
            ("AWS::MediaPackage::PackagingGroup", "Id", name("pg") + "\n", True),
            ("AWS::MediaPackage::PackagingGroup", "Id", "x\ny", False),
            ("AWS::IoT::SoftwarePackage", "Description", "h\u00e9llo w\u00f6rld", True),  # ^[^\p{C}]+$
            ("AWS::IoT::SoftwarePackage", "Description", "bell\u0007", False),
            ("AWS::Omics::ReferenceStore", "Name", name("r\u00e9f\u00e9rence |x"), True),  # [\p{L}||\p{M}||\p{Z}||...]
            ("AWS::Omics::ReferenceStore", "Name", "tab\there", False),
        ]
        for type_name, prop, value, accepted in cases:
            with self.subTest(type_name=type_name, value=value):
                self.assertIn("pattern", bundle()[type_name]["properties"][prop])
                if accepted:
                    self.create(type_name, {prop: value})
                else:
                    self.assert_error(
                        "ValidationException",
                        self.cc.create_resource,
                        TypeName=type_name,
                        DesiredState=json.dumps({prop: value}),
                        message=f"Model validation failed (#/{prop}: failed validation constraint for keyword [pattern])",
                    )


class AdditionalIdentifiers(BundleTestCase):
    def test_key_pair_by_its_generated_key_pair_id(self):
        self.assertEqual(bundle()[KEY_PAIR]["additionalIdentifiers"], [["/properties/KeyPairId"]])
        key_name = name("rb-kp2")
        done = self.create(KEY_PAIR, {"KeyName": key_name})
        key_pair_id = json.loads(done["ResourceModel"])["KeyPairId"]
        self.assertTrue(key_pair_id)
        by_primary = self.properties(KEY_PAIR, key_name)
        by_secondary = self.properties(KEY_PAIR, json.dumps({"KeyPairId": key_pair_id}))
        self.assertEqual(by_secondary, by_primary)
        self.assertEqual(by_secondary[0], key_name, "the Identifier returned is the primary one")
        self.assertEqual(self.properties(KEY_PAIR, json.dumps({"KeyName": key_name})), by_primary)

        self.assert_error("ResourceNotFoundException", self.cc.get_resource, TypeName=KEY_PAIR, Identifier=json.dumps({"KeyPairId": "key-0000000000rb" + RUN}))
        # A property that is not an identifier is not a JSON identifier.
        fingerprint = by_primary[1]["KeyFingerprint"]
        self.assert_error("ValidationException", self.cc.get_resource, TypeName=KEY_PAIR, Identifier=json.dumps({"KeyFingerprint": fingerprint}))
        self.assert_error("ValidationException", self.cc.get_resource, TypeName=KEY_PAIR, Identifier=json.dumps({"KeyName": key_name, "KeyPairId": key_pair_id}))

        # Delete by the secondary identifier.
        event = self.cc.delete_resource(TypeName=KEY_PAIR, Identifier=json.dumps({"KeyPairId": key_pair_id}))["ProgressEvent"]
        deleted = self.wait_terminal(event["RequestToken"])
        self.assertEqual(deleted["OperationStatus"], "SUCCESS", deleted)
        self.assertEqual(deleted["Identifier"], key_name)
        self.assert_error("ResourceNotFoundException", self.cc.get_resource, TypeName=KEY_PAIR, Identifier=key_name)

    def test_appconfig_application_by_its_name(self):
        self.assertEqual(bundle()[APPCONFIG_APP]["additionalIdentifiers"], [["/properties/Name"]])
        app_name = name("rb-app")
        done = self.create(APPCONFIG_APP, {"Name": app_name})
        application_id = done["Identifier"]
        self.assertEqual(json.loads(done["ResourceModel"])["ApplicationId"], application_id)
        self.assertEqual(self.properties(APPCONFIG_APP, json.dumps({"Name": app_name})), (application_id, {"Name": app_name, "ApplicationId": application_id}))
        # Update through the secondary identifier.
        accepted, _ = self.update(APPCONFIG_APP, json.dumps({"Name": app_name}), [{"op": "add", "path": "/Description", "value": "by name"}])
        self.assertEqual(accepted["Identifier"], application_id)
        self.assertEqual(self.properties(APPCONFIG_APP, application_id)[1]["Description"], "by name")


class ArnShapes(BundleTestCase):
    """Registry schemas replace built-in definitions but keep the built-in ARN templates (x-ccapi-arnTemplate)."""

    def test_generated_arns_keep_their_aws_shape_with_the_bundle(self):
        group = name("rb-arn")
        done = self.create(LOG_GROUP, {"LogGroupName": group})
        self.assertRegex(json.loads(done["ResourceModel"])["Arn"], rf"^arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group}:\*$")


if __name__ == "__main__":
    unittest.main()
