"""A state lock that no client holds (a DynamoDB record without the S3 lock file: what a lost
lock reply leaves behind) is released and the stack run again; a lock a live client holds (both
records) is never touched, and the run stops with the exact recovery command. A lock a killed run
of this machine left stops an exclusive run at once; `playbooks/unlock.yml` (make unlock) releases
it only while it carries the given lock ID."""

from __future__ import annotations

import json
import os
import pwd
import re
import shlex
import socket
import time

import boto3
import pytest

from conftest import extra_vars, free_port, playbook

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
    assert f"STACK=tiny LOCK_ID={LOCK['ID']}" in result.stdout, result.stdout[-4000:]
    assert "locked by ci@runner since 2026-11-28T09:48:55Z" in result.stdout
    item = ddb.get_item(TableName=TABLE, Key={"LockID": {"S": f"{BUCKET}/{KEY}"}})["Item"]
    assert json.loads(item["Info"]["S"])["ID"] == LOCK["ID"]


# --- make unlock: the environment's real backend names (inventories/local), on the test's moto ---

ENV_STACK = "network"  # a stack the project has: playbooks/unlock.yml accepts only those
ENV_KEY = f"{ENV_STACK}/terraform.tfstate"
ENV_TABLE = "shopfront-local-tflock"
INVENTORY_PLAY = PLAY.replace("hosts: localhost", "hosts: platform")


def this_client() -> str:
    """Terraform's Who: the OS user name, '@', the host name."""
    return f"{pwd.getpwuid(os.getuid()).pw_name}@{socket.gethostname()}"


@pytest.fixture
def env_backend(aws_env, tmp_path):
    """The local inventory's bucket and lock table, and a stand-in 'network' stack with no provider."""
    s3, ddb = boto3.client("s3"), boto3.client("dynamodb")
    bucket = f"shopfront-local-tfstate-{boto3.client('sts').get_caller_identity()['Account']}"
    s3.create_bucket(Bucket=bucket)
    ddb.create_table(TableName=ENV_TABLE, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}])
    stack = tmp_path / "terraform" / "stacks" / ENV_STACK
    stack.mkdir(parents=True)
    (stack / "main.tf").write_text('terraform {\n  backend "s3" {}\n}\n')
    (tmp_path / "play.yml").write_text(INVENTORY_PLAY)
    yield s3, ddb, bucket
    for obj in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
        s3.delete_object(Bucket=bucket, Key=obj["Key"])
    s3.delete_bucket(Bucket=bucket)
    ddb.delete_table(TableName=ENV_TABLE)


def plant_env_lock(s3, ddb, bucket, **fields):
    """Both locks, as a run killed mid-apply leaves them."""
    lock = {**LOCK, "ID": "8c7e4f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6", "Operation": "OperationTypeApply",
            "Path": f"{bucket}/{ENV_KEY}", **fields}
    ddb.put_item(TableName=ENV_TABLE, Item={"LockID": {"S": f"{bucket}/{ENV_KEY}"}, "Info": {"S": json.dumps(lock)}})
    s3.put_object(Bucket=bucket, Key=ENV_KEY + ".tflock", Body=json.dumps(lock))
    return lock


def env_locks(s3, ddb, bucket) -> tuple[str | None, str | None]:
    """The lock IDs of the DynamoDB record and of the S3 lock file (None: absent)."""
    item = ddb.get_item(TableName=ENV_TABLE, Key={"LockID": {"S": f"{bucket}/{ENV_KEY}"}}).get("Item")
    try:
        body = s3.get_object(Bucket=bucket, Key=ENV_KEY + ".tflock")["Body"].read()
    except s3.exceptions.NoSuchKey:
        body = None
    return (json.loads(item["Info"]["S"])["ID"] if item else None, json.loads(body)["ID"] if body else None)


def run_env_stack(tmp_path, bucket, **more):
    """The terraform_stack role on the local inventory's backend, as the playbooks run it."""
    variables = {
        "terraform_stack_name": ENV_STACK, "terraform_stack_root": str(tmp_path / "terraform"),
        "terraform_stack_work_dir": str(tmp_path / "work"), "terraform_stack_exclusive": True,
        "terraform_stack_backend": {"bucket": bucket, "dynamodb_table": ENV_TABLE, "region": "us-east-1",
                                    "kms_key_id": "arn:aws:kms:us-east-1:123456789012:alias/shopfront-local-tfstate"},
        **more}
    return playbook("-i", "inventories/local", str(tmp_path / "play.yml"), *extra_vars(**variables),
                    env={"PLATFORM_TIMING_DIR": str(tmp_path / "timing")})


def unlock(tmp_path, moto_url, *args):
    """playbooks/unlock.yml against the test's moto, with a private state folder (run lock)."""
    return playbook(*args, *extra_vars(platform_state_dir=str(tmp_path / "state")),
                    env={"PLATFORM_AWS_ENDPOINT_URL": moto_url, "PLATFORM_TIMING_DIR": str(tmp_path / "timing")})


def changed(output: str) -> int:
    return int(re.search(r"^localhost\s+: ok=\d+\s+changed=(\d+)", output, re.M).group(1))


def test_lock_a_killed_local_run_left_stops_at_once_and_make_unlock_releases_it(env_backend, tmp_path, aws_env):
    s3, ddb, bucket = env_backend
    lock = plant_env_lock(s3, ddb, bucket, Who=this_client())

    started = time.monotonic()
    result = run_env_stack(tmp_path, bucket)  # the default lock timeout: 300 s
    elapsed = time.monotonic() - started

    assert result.returncode != 0
    assert elapsed < 60, f"waited {elapsed:.0f} s for a lock this machine left"
    out = result.stdout
    assert "that was interrupted" in out and this_client() in out, out[-4000:]
    assert f"make unlock INVENTORY=inventories/local STACK={ENV_STACK} LOCK_ID={lock['ID']}" in out
    assert "Start planning" not in out  # stopped before terraform ran
    assert env_locks(s3, ddb, bucket) == (lock["ID"], lock["ID"])

    command = re.search(r"^\s*(ansible-playbook -i \S+ playbooks/unlock\.yml .*)$", out, re.M).group(1)
    assert command == (f"ansible-playbook -i inventories/local playbooks/unlock.yml "
                       f"-e terraform_unlock_stack={ENV_STACK} -e terraform_unlock_id={lock['ID']}")
    first = unlock(tmp_path, aws_env, *shlex.split(command)[1:])
    assert first.returncode == 0, first.stdout[-4000:]
    assert env_locks(s3, ddb, bucket) == (None, None)
    assert changed(first.stdout) == 1 and "Released the state lock" in first.stdout

    second = unlock(tmp_path, aws_env, *shlex.split(command)[1:])
    assert second.returncode == 0, second.stdout[-4000:]
    assert changed(second.stdout) == 0 and "not locked" in second.stdout


def test_unlock_with_another_lock_id_names_the_holder_and_releases_nothing(env_backend, tmp_path, aws_env):
    s3, ddb, bucket = env_backend
    lock = plant_env_lock(s3, ddb, bucket)

    result = unlock(tmp_path, aws_env, "-i", "inventories/local", "playbooks/unlock.yml",
                    "-e", f"terraform_unlock_stack={ENV_STACK}",
                    "-e", "terraform_unlock_id=00000000-0000-4000-8000-000000000000")

    assert result.returncode != 0
    for field in ("Who", "Created", "Operation", "ID"):
        assert lock[field] in result.stdout, field
    assert "newer run" in result.stdout
    assert env_locks(s3, ddb, bucket) == (lock["ID"], lock["ID"])


def test_unlock_releases_a_lock_file_without_its_record(env_backend, tmp_path, aws_env):
    """Killed between the two locks: only the S3 lock file is left."""
    s3, ddb, bucket = env_backend
    lock = plant_env_lock(s3, ddb, bucket)
    ddb.delete_item(TableName=ENV_TABLE, Key={"LockID": {"S": f"{bucket}/{ENV_KEY}"}})

    result = unlock(tmp_path, aws_env, "-i", "inventories/local", "playbooks/unlock.yml",
                    "-e", f"terraform_unlock_stack={ENV_STACK}", "-e", f"terraform_unlock_id={lock['ID']}")

    assert result.returncode == 0, result.stdout[-4000:]
    assert changed(result.stdout) == 1
    assert env_locks(s3, ddb, bucket) == (None, None)


def test_lock_from_another_host_is_not_stale(env_backend, tmp_path, aws_env):
    s3, ddb, bucket = env_backend
    lock = plant_env_lock(s3, ddb, bucket, Who="colleague@laptop")

    result = run_env_stack(tmp_path, bucket, terraform_stack_lock_timeout=3)

    assert result.returncode != 0
    out = result.stdout
    assert "Error acquiring the state lock" in out  # Terraform met it and waited
    assert "locked by colleague@laptop" in out and "waited 3 s" in out, out[-4000:]
    assert "that was interrupted" not in out
    assert f"make unlock INVENTORY=inventories/local STACK={ENV_STACK} LOCK_ID={lock['ID']}" in out
    assert env_locks(s3, ddb, bucket) == (lock["ID"], lock["ID"])


@pytest.mark.parametrize("stack, lock_id, variable", [
    ("netwrk", "8c7e4f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6", "terraform_unlock_stack"),
    ("../network", "8c7e4f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6", "terraform_unlock_stack"),
    ("network", "8c7e4f3a", "terraform_unlock_id"),
    ("network", "", "terraform_unlock_id"),
])
def test_unlock_rejects_bad_input_before_any_aws_call(tmp_path, stack, lock_id, variable):
    endpoint = f"http://127.0.0.1:{free_port()}"  # nothing listens: no AWS call may be needed

    result = unlock(tmp_path, endpoint, "-i", "inventories/local", "playbooks/unlock.yml",
                    "-e", f"terraform_unlock_stack={stack}", "-e", f"terraform_unlock_id={lock_id}")

    assert result.returncode != 0
    assert f"{variable} (make unlock" in result.stdout, result.stdout[-3000:]
    assert "Preflight" not in result.stdout and "AWS: endpoint" not in result.stdout
