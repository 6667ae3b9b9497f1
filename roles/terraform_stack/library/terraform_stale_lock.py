#!/usr/bin/python
# -*- coding: utf-8 -*-
# Apache-2.0
"""Release a Terraform state lock that no client holds any more (a half-held double lock)."""

from __future__ import annotations

import json
import time

DOCUMENTATION = r"""
module: terraform_stale_lock
short_description: Release a half-held Terraform S3 + DynamoDB state lock
description:
  - Terraform's S3 backend with C(use_lockfile) and C(dynamodb_table) takes the S3 lock file first,
    then the DynamoDB record, and releases the lock file first. A live holder therefore always has
    the lock file. A DynamoDB record without a lock file is what a lost reply leaves behind
    (DynamoDB applied the lock but the client never heard back; its retry then finds its own lock,
    drops the lock file and waits for itself until the lock timeout).
  - The module reads the record, and when no lock file exists, waits I(settle_seconds) (a holder
    that is releasing its lock removes the record within that time), reads again, and deletes the
    record only if it is unchanged, with a conditional delete.
  - It never touches a lock whose lock file exists. Every client of the backend must use both
    locks (the terraform_stack role always configures both).
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
    description: Seconds between the two reads.
    type: int
    default: 5
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
"""

RETURN = r"""
state:
  description: C(free) (no record), C(held) (the lock file exists, a live holder), C(released) or C(stale) in check mode.
  returned: always
  type: str
lock:
  description: The lock info of the record (ID, Who, Created, Operation), if any.
  returned: when a record exists
  type: dict
"""

try:
    import botocore  # noqa: F401  (AnsibleAWSModule reports a missing botocore)
except ImportError:
    pass

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule


def read_record(ddb, table, lock_id):
    item = ddb.get_item(TableName=table, Key={"LockID": {"S": lock_id}}, ConsistentRead=True).get("Item")
    return item.get("Info", {}).get("S") if item else None


def lock_file_exists(s3, bucket, key):
    try:
        s3.head_object(Bucket=bucket, Key=key + ".tflock")
        return True
    except s3.exceptions.ClientError as err:
        if err.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return False
        raise


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(bucket=dict(type="str", required=True), key=dict(type="str", required=True, no_log=False),
                           table=dict(type="str", required=True), settle_seconds=dict(type="int", default=5)),
        supports_check_mode=True,
    )
    p = module.params
    ddb, s3 = module.client("dynamodb"), module.client("s3")
    lock_id = "%s/%s" % (p["bucket"], p["key"])

    info = read_record(ddb, p["table"], lock_id)
    if info is None:
        module.exit_json(changed=False, state="free")
    lock = json.loads(info or "{}")
    if lock_file_exists(s3, p["bucket"], p["key"]):
        module.exit_json(changed=False, state="held", lock=lock)

    time.sleep(p["settle_seconds"])
    if read_record(ddb, p["table"], lock_id) != info:
        module.exit_json(changed=False, state="free", lock=lock)  # released or retaken meanwhile
    if lock_file_exists(s3, p["bucket"], p["key"]):
        module.exit_json(changed=False, state="held", lock=lock)
    if module.check_mode:
        module.exit_json(changed=True, state="stale", lock=lock)
    try:
        ddb.delete_item(TableName=p["table"], Key={"LockID": {"S": lock_id}},
                        ConditionExpression="Info = :info", ExpressionAttributeValues={":info": {"S": info}})
    except ddb.exceptions.ConditionalCheckFailedException:
        module.exit_json(changed=False, state="free", lock=lock)
    module.exit_json(changed=True, state="released", lock=lock)


if __name__ == "__main__":
    main()
