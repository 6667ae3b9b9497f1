"""Emptying the state bucket deletes every version and marker, but never while another stack's
state still tracks resources."""

from __future__ import annotations

import importlib.util
import json

import boto3

from conftest import ROOT

spec = importlib.util.spec_from_file_location(
    "s3_state_bucket_empty", ROOT / "roles/terraform_stack/library/s3_state_bucket_empty.py")
purge = importlib.util.module_from_spec(spec)
spec.loader.exec_module(purge)


def state(*resources):
    return json.dumps({"version": 4, "resources": [
        {"mode": mode, "type": rtype, "name": name, "instances": [{}]} for mode, rtype, name in resources]})


def versioned_bucket(s3, name):
    s3.create_bucket(Bucket=name)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


def test_managed_resources_ignores_data_sources():
    doc = state(("managed", "aws_vpc", "this"), ("data", "aws_availability_zones", "available"))
    assert purge.managed_resources(doc) == ["aws_vpc.this"]
    assert purge.managed_resources(state()) == []


def test_blocks_while_another_state_tracks_resources(aws_env):
    s3 = boto3.client("s3")
    bucket = versioned_bucket(s3, "purge-blocked")
    s3.put_object(Bucket=bucket, Key="bootstrap/terraform.tfstate", Body=state(("managed", "aws_s3_bucket", "this")))
    s3.put_object(Bucket=bucket, Key="network/terraform.tfstate", Body=state(("managed", "aws_vpc", "this")))

    blocking = purge.blocking_states(s3, bucket, "bootstrap/terraform.tfstate")

    assert blocking == {"network/terraform.tfstate": ["aws_vpc.this"]}


def test_lists_every_version_and_delete_marker(aws_env):
    s3 = boto3.client("s3")
    bucket = versioned_bucket(s3, "purge-versions")
    for body in ("1", "2", "3"):
        s3.put_object(Bucket=bucket, Key="network/terraform.tfstate", Body=state())
    s3.put_object(Bucket=bucket, Key="network/terraform.tfstate.tflock", Body=body)
    s3.delete_object(Bucket=bucket, Key="network/terraform.tfstate.tflock")  # leaves a delete marker

    assert purge.blocking_states(s3, bucket, "bootstrap/terraform.tfstate") == {}
    versions = list(purge.all_versions(s3, bucket))
    assert len(versions) == 5  # 3 state versions, 1 lock version, 1 delete marker

    s3.delete_objects(Bucket=bucket, Delete={"Objects": versions})
    s3.delete_bucket(Bucket=bucket)  # only possible once nothing at all is left
