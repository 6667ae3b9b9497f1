"""A state lock that no client holds (a DynamoDB record without the S3 lock file: what a lost
lock reply leaves behind) is released and the stack run again; a lock a live client holds (both
records) is never touched, and the run stops with the recovery command."""

from __future__ import annotations

import json

import boto3
import pytest

from conftest import extra_vars, playbook

BUCKET, TABLE, KEY = "lock-tfstate", "lock-tflock", "tiny/terraform.tfstate"
LOCK = {"ID": "0f3c2b1a-0000-4000-8000-000000000001", "Operation": "OperationTypePlan", "Who": "ci@runner",
        "Version": "1.11.4", "Created": "2026-11-28T09:48:55Z", "Path": f"{BUCKET}/{KEY}", "Info": ""}

PLAY = """
- name: Apply the tiny stack
  hosts: localhost
  gather_facts: false
  roles:
    - role: terraform_stack
"""


@pytest.fixture
def backend(aws_env, tmp_path):
    s3, ddb, kms = boto3.client("s3"), boto3.client("dynamodb"), boto3.client("kms")
    if BUCKET not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
        s3.create_bucket(Bucket=BUCKET)
        ddb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}])
        key = kms.create_key()["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName="alias/lock-tfstate", TargetKeyId=key)
    # a stack with no provider at all: the test is about locking, not resources
    stack = tmp_path / "terraform" / "stacks" / "tiny"
    stack.mkdir(parents=True)
    (stack / "main.tf").write_text('terraform {\n  backend "s3" {}\n}\n\noutput "answer" {\n  value = 42\n}\n')
    (tmp_path / "play.yml").write_text(PLAY)
    yield s3, ddb
    ddb.delete_item(TableName=TABLE, Key={"LockID": {"S": f"{BUCKET}/{KEY}"}})
    s3.delete_object(Bucket=BUCKET, Key=KEY + ".tflock")


def run(tmp_path, aws_env):
    variables = {
        "ansible_python_interpreter": "{{ ansible_playbook_python }}",
        "terraform_stack_name": "tiny", "terraform_stack_root": str(tmp_path / "terraform"),
        "terraform_stack_work_dir": str(tmp_path / "work"), "terraform_stack_lock_timeout": 3,
        "terraform_stack_backend": {"bucket": BUCKET, "dynamodb_table": TABLE, "region": "us-east-1",
                                    "kms_key_id": "arn:aws:kms:us-east-1:123456789012:alias/lock-tfstate"}}
    return playbook("-i", "localhost,", "-c", "local", str(tmp_path / "play.yml"), *extra_vars(**variables),
                    env={"PLATFORM_TIMING_DIR": str(tmp_path / "timing")})


def plant_lock(ddb):
    ddb.put_item(TableName=TABLE, Item={"LockID": {"S": f"{BUCKET}/{KEY}"}, "Info": {"S": json.dumps(LOCK)}})


def test_half_held_lock_is_released_and_the_stack_applied(backend, tmp_path, aws_env):
    s3, ddb = backend
    plant_lock(ddb)

    result = run(tmp_path, aws_env)

    assert result.returncode == 0, result.stdout[-4000:]
    assert "Error acquiring the state lock" in result.stdout  # the first run met the lock
    assert "released" in result.stdout
    assert "Item" not in ddb.get_item(TableName=TABLE, Key={"LockID": {"S": f"{BUCKET}/{KEY}"}})
    state = json.loads(s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read())
    assert state["outputs"]["answer"]["value"] == 42


def test_lock_held_by_a_live_client_is_left_alone(backend, tmp_path, aws_env):
    s3, ddb = backend
    plant_lock(ddb)
    s3.put_object(Bucket=BUCKET, Key=KEY + ".tflock", Body=json.dumps(LOCK))

    result = run(tmp_path, aws_env)

    assert result.returncode != 0
    assert "force-unlock" in result.stdout and "tiny" in result.stdout
    item = ddb.get_item(TableName=TABLE, Key={"LockID": {"S": f"{BUCKET}/{KEY}"}})["Item"]
    assert json.loads(item["Info"]["S"])["ID"] == LOCK["ID"]
