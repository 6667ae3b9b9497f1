#!/usr/bin/python
# -*- coding: utf-8 -*-
# Apache-2.0
"""Read, release when stale, or release by lock ID a Terraform S3 + DynamoDB state lock."""

from __future__ import annotations

import json
import os
import socket
import time

DOCUMENTATION = r"""
module: terraform_stale_lock
short_description: Read or release a Terraform S3 + DynamoDB state lock
description:
  - Terraform's S3 backend with C(use_lockfile) and C(dynamodb_table) takes the S3 lock file first,
    then the DynamoDB record, and releases the lock file first. A live holder therefore always has
    the lock file. A DynamoDB record without a lock file is what a lost reply leaves behind
    (DynamoDB applied the lock but the client never heard back; its retry then finds its own lock,
    drops the lock file and waits for itself until the lock timeout).
  - By default the module reads the record, and when no lock file exists, waits I(settle_seconds)
    (a holder that is releasing its lock removes the record within that time), reads again, and
    deletes the record only if it is unchanged, with a conditional delete. It never touches a lock
    whose lock file exists. Every client of the backend must use both locks (the terraform_stack
    role always configures both).
  - With I(check_only) it only reports the lock, and whether it was taken by this machine's
    user (Terraform's C(Who) is C(<user>@<hostname>)).
  - With I(force_id) it deletes the lock file and the record, but only while both carry that lock
    ID (conditional deletes), for a lock a killed run left. It fails, naming the holder, when the
    lock carries another ID.
options:
  bucket:
    description: The state bucket.
    type: str
    required: true
  key:
    description: The state object key (the lock file is C(<key>.tflock)).
    type: str
    required: true
  table:
    description: The DynamoDB lock table.
    type: str
    required: true
  settle_seconds:
    description: Seconds between the two reads (default mode).
    type: int
    default: 5
  check_only:
    description: Only read the lock; change nothing.
    type: bool
    default: false
  force_id:
    description: Release the lock only if it carries this lock ID (the C(ID) of its lock info).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Release a half-held lock on the network state
  terraform_stale_lock:
    bucket: shopfront-dev-tfstate-123456789012
    key: network/terraform.tfstate
    table: shopfront-dev-tflock

- name: Release the lock a killed run left on the network state
  terraform_stale_lock:
    bucket: shopfront-dev-tfstate-123456789012
    key: network/terraform.tfstate
    table: shopfront-dev-tflock
    force_id: 8c7e4f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6
"""

RETURN = r"""
state:
  description:
    - C(free) (no lock), C(held) (the lock file exists, a live holder), C(released), or C(stale)
      in check mode (it would be released).
    - With I(check_only), C(half-held) for a record without a lock file.
  returned: always
  type: str
lock:
  description: The lock info (ID, Who, Created, Operation, ...) of the record, else of the lock file.
  returned: when a lock exists
  type: dict
client:
  description: This machine's C(<user>@<hostname>), as Terraform writes it into C(Who).
  returned: always
  type: str
local:
  description: The lock was taken by this machine's user (C(Who) equals I(client)).
  returned: always
  type: bool
"""

try:
    import botocore  # noqa: F401  (AnsibleAWSModule reports a missing botocore)
except ImportError:
    pass

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

MISSING = ("404", "NoSuchKey", "NotFound", "NoSuchBucket", "ResourceNotFoundException")


def client_name():
    """Terraform's Who: Go's user.Current().Username, '@', os.Hostname()."""
    try:
        import pwd
        user = pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        user = os.environ.get("USER", "")
    return "%s@%s" % (user, socket.gethostname())


def code(err):
    return err.response.get("Error", {}).get("Code")


def read_record(ddb, table, lock_id):
    try:
        item = ddb.get_item(TableName=table, Key={"LockID": {"S": lock_id}}, ConsistentRead=True).get("Item")
    except ddb.exceptions.ClientError as err:
        if code(err) in MISSING:  # no table: nothing locked
            return None
        raise
    return item.get("Info", {}).get("S") if item else None


def lock_file_exists(s3, bucket, key):
    try:
        s3.head_object(Bucket=bucket, Key=key + ".tflock")
        return True
    except s3.exceptions.ClientError as err:
        if code(err) in MISSING:
            return False
        raise


def read_lock_file(s3, bucket, key):
    """(body, ETag) of the lock file, or (None, None)."""
    try:
        obj = s3.get_object(Bucket=bucket, Key=key + ".tflock")
    except s3.exceptions.ClientError as err:
        if code(err) in MISSING:
            return None, None
        raise
    return obj["Body"].read().decode("utf-8", "replace"), obj["ETag"]


def parse(info):
    try:
        lock = json.loads(info or "{}")
    except ValueError:
        return {"ID": "", "Info": info}
    return lock if isinstance(lock, dict) else {}


def describe(lock):
    return "%s since %s (%s, lock ID %s)" % (lock.get("Who") or "?", lock.get("Created") or "?",
                                             lock.get("Operation") or "?", lock.get("ID") or "?")


def check_only(module, ddb, s3, p, lock_id, client):
    info = read_record(ddb, p["table"], lock_id)
    body, _etag = read_lock_file(s3, p["bucket"], p["key"])
    if info is None and body is None:
        module.exit_json(changed=False, state="free", client=client, local=False)
    lock = parse(info if info is not None else body)
    module.exit_json(changed=False, state="held" if body is not None else "half-held", lock=lock,
                     client=client, local=lock.get("Who") == client)


def force_release(module, ddb, s3, p, lock_id, client):
    want = p["force_id"]
    info = read_record(ddb, p["table"], lock_id)
    body, etag = read_lock_file(s3, p["bucket"], p["key"])
    if info is None and body is None:
        module.exit_json(changed=False, state="free", client=client, local=False)
    record_lock, file_lock = parse(info), parse(body)
    lock = record_lock if info is not None else file_lock
    result = dict(lock=lock, client=client, local=lock.get("Who") == client)

    def refuse(holder):
        module.fail_json(msg="The state lock of %s is held by %s, not by lock ID %s: a newer run holds it. "
                             "Nothing was released." % (p["key"], describe(holder), want), **result)

    for found, held in ((info, record_lock), (body, file_lock)):
        if found is not None and held.get("ID") != want:
            refuse(held)
    if module.check_mode:
        module.exit_json(changed=True, state="stale", **result)

    # The record first: while the lock file with this ID exists no other client can take the record.
    if info is not None:
        try:
            ddb.delete_item(TableName=p["table"], Key={"LockID": {"S": lock_id}},
                            ConditionExpression="Info = :info", ExpressionAttributeValues={":info": {"S": info}})
        except ddb.exceptions.ConditionalCheckFailedException:
            now = read_record(ddb, p["table"], lock_id)
            if now is not None:
                refuse(parse(now))
    if body is not None:
        try:
            s3.delete_object(Bucket=p["bucket"], Key=p["key"] + ".tflock", IfMatch=etag)
        except s3.exceptions.ClientError as err:
            if code(err) in MISSING:
                pass
            elif code(err) in ("PreconditionFailed", "412"):
                now, _etag = read_lock_file(s3, p["bucket"], p["key"])
                if now is not None:
                    refuse(parse(now))
            elif code(err) == "NotImplemented":  # an S3 without conditional deletes: re-read, then delete
                now, _etag = read_lock_file(s3, p["bucket"], p["key"])
                if now is not None and parse(now).get("ID") != want:
                    refuse(parse(now))
                s3.delete_object(Bucket=p["bucket"], Key=p["key"] + ".tflock")
            else:
                raise
    module.exit_json(changed=True, state="released", **result)


def release_stale(module, ddb, s3, p, lock_id, client):
    info = read_record(ddb, p["table"], lock_id)
    if info is None:
        body, _etag = read_lock_file(s3, p["bucket"], p["key"])
        if body is None:
            module.exit_json(changed=False, state="free", client=client, local=False)
        lock = parse(body)  # killed between the two locks: only the lock file, a holder's to release
        module.exit_json(changed=False, state="held", lock=lock, client=client, local=lock.get("Who") == client)
    lock = parse(info)
    result = dict(lock=lock, client=client, local=lock.get("Who") == client)
    if lock_file_exists(s3, p["bucket"], p["key"]):
        module.exit_json(changed=False, state="held", **result)

    time.sleep(p["settle_seconds"])
    if read_record(ddb, p["table"], lock_id) != info:
        module.exit_json(changed=False, state="free", **result)  # released or retaken meanwhile
    if lock_file_exists(s3, p["bucket"], p["key"]):
        module.exit_json(changed=False, state="held", **result)
    if module.check_mode:
        module.exit_json(changed=True, state="stale", **result)
    try:
        ddb.delete_item(TableName=p["table"], Key={"LockID": {"S": lock_id}},
                        ConditionExpression="Info = :info", ExpressionAttributeValues={":info": {"S": info}})
    except ddb.exceptions.ConditionalCheckFailedException:
        module.exit_json(changed=False, state="free", **result)
    module.exit_json(changed=True, state="released", **result)


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(bucket=dict(type="str", required=True), key=dict(type="str", required=True, no_log=False),
                           table=dict(type="str", required=True), settle_seconds=dict(type="int", default=5),
                           check_only=dict(type="bool", default=False), force_id=dict(type="str")),
        supports_check_mode=True,
    )
    p = module.params
    if p["check_only"] and p["force_id"]:
        module.fail_json(msg="check_only and force_id are mutually exclusive")
    ddb, s3 = module.client("dynamodb"), module.client("s3")
    lock_id = "%s/%s" % (p["bucket"], p["key"])
    client = client_name()

    if p["check_only"]:
        check_only(module, ddb, s3, p, lock_id, client)
    elif p["force_id"]:
        force_release(module, ddb, s3, p, lock_id, client)
    else:
        release_stale(module, ddb, s3, p, lock_id, client)


if __name__ == "__main__":
    main()
