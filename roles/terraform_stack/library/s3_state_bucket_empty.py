#!/usr/bin/python
# -*- coding: utf-8 -*-
# Apache-2.0
"""Empty a Terraform state bucket (every version and delete marker) before it is destroyed."""

from __future__ import annotations

import json

DOCUMENTATION = r"""
module: s3_state_bucket_empty
short_description: Empty a versioned Terraform state bucket, refusing while any state still tracks resources
description:
  - Deletes every object version and delete marker of I(bucket), so that Terraform can delete the
    bucket without C(force_destroy) (which also hangs on some S3 emulators).
  - Before deleting anything it reads the latest version of every C(*.tfstate) object except
    I(own_state_key) and fails, deleting nothing, if any of them still tracks a managed resource:
    emptying the bucket would orphan those resources.
options:
  bucket:
    description: The state bucket.
    type: str
    required: true
  own_state_key:
    description: The key of the calling stack's own state (already copied to local disk).
    type: str
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Empty the state bucket
  s3_state_bucket_empty:
    bucket: shopfront-dev-tfstate-123456789012
    own_state_key: bootstrap/terraform.tfstate
"""

RETURN = r"""
deleted:
  description: Number of object versions and delete markers deleted (or that would be, in check mode).
  returned: always
  type: int
blocking_states:
  description: State keys that still track managed resources (the module failed).
  returned: failure
  type: dict
"""

try:
    import botocore  # noqa: F401  (AnsibleAWSModule reports a missing botocore)
except ImportError:
    pass

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule


def managed_resources(state_document):
    """Addresses of the managed resources a Terraform state document tracks."""
    state = json.loads(state_document or "{}")
    found = []
    for res in state.get("resources", []):
        if res.get("mode") == "managed" and res.get("instances"):
            prefix = res["module"] + "." if res.get("module") else ""
            found.append(prefix + res["type"] + "." + res["name"])
    return found


def blocking_states(s3, bucket, own_key):
    blocking = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            key = obj["Key"]
            if not key.endswith(".tfstate") or key == own_key:
                continue
            body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
            resources = managed_resources(body)
            if resources:
                blocking[key] = resources
    return blocking


def all_versions(s3, bucket):
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for item in page.get("Versions", []) + page.get("DeleteMarkers", []):
            yield {"Key": item["Key"], "VersionId": item["VersionId"]}


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(bucket=dict(type="str", required=True), own_state_key=dict(type="str", required=True, no_log=False)),
        supports_check_mode=True,
    )
    bucket = module.params["bucket"]
    s3 = module.client("s3")

    blocking = blocking_states(s3, bucket, module.params["own_state_key"])
    if blocking:
        module.fail_json(
            msg=(
                "Refusing to empty state bucket %s: these states still track resources, destroy those stacks "
                "first (ansible-playbook teardown.yml destroys them in order): %s"
                % (bucket, "; ".join("%s: %s" % (k, ", ".join(v)) for k, v in sorted(blocking.items())))
            ),
            blocking_states=blocking,
        )

    versions = list(all_versions(s3, bucket))
    if versions and not module.check_mode:
        for start in range(0, len(versions), 1000):
            reply = s3.delete_objects(Bucket=bucket, Delete={"Objects": versions[start:start + 1000], "Quiet": True})
            if reply.get("Errors"):
                module.fail_json(msg="Could not delete from %s: %s" % (bucket, reply["Errors"]))
    module.exit_json(changed=bool(versions), deleted=len(versions))


if __name__ == "__main__":
    main()
