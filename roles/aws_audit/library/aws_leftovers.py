#!/usr/bin/python
# -*- coding: utf-8 -*-
# Apache-2.0
"""List the AWS resources that still carry an environment's tags."""

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_leftovers
short_description: List AWS resources still tagged for an environment
description:
  - Reads the region (and IAM, which is global) for resources whose tags include every pair in
    I(tags), and returns each with a command that removes it. Read-only.
  - "Covers: VPCs, subnets, route tables, internet and NAT gateways, Elastic IPs, VPC endpoints,
    security groups, network interfaces, EBS volumes, launch templates, EKS clusters and node
    groups, Route53 hosted zones, ACM certificates, S3 buckets, DynamoDB tables, KMS keys (not
    pending deletion), CloudWatch log groups, IAM roles, policies and OIDC providers."
options:
  tags:
    description: Tags a resource must all carry to count as the environment's.
    type: dict
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: List what is left of the dev environment
  aws_leftovers:
    tags: {Project: shopfront, Environment: dev}
  register: leftovers
"""

RETURN = r"""
leftovers:
  description: Resources still tagged for the environment.
  returned: always
  type: list
  elements: dict
  contains:
    type: {description: Resource type, type: str}
    id: {description: Identifier, type: str}
    remove: {description: An AWS CLI command that deletes it, type: str}
"""

try:
    import botocore  # noqa: F401
except ImportError:
    pass

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule


def _tag_dict(tags, key="Key", value="Value"):
    return {t[key]: t[value] for t in tags or []}


def _matches(tags, wanted):
    return all(tags.get(k) == v for k, v in wanted.items())


def ec2_leftovers(ec2, wanted):
    filters = [{"Name": "tag:%s" % k, "Values": [v]} for k, v in wanted.items()]
    # (describe call, result key, id field, type, delete command, skip predicate)
    kinds = [
        ("describe_nat_gateways", "NatGateways", "NatGatewayId", "nat-gateway",
         "aws ec2 delete-nat-gateway --nat-gateway-id %s", lambda r: r.get("State") in ("deleted", "deleting")),
        ("describe_vpc_endpoints", "VpcEndpoints", "VpcEndpointId", "vpc-endpoint",
         "aws ec2 delete-vpc-endpoints --vpc-endpoint-ids %s", lambda r: r.get("State", "").lower() in ("deleted", "deleting")),
        ("describe_network_interfaces", "NetworkInterfaces", "NetworkInterfaceId", "network-interface",
         "aws ec2 delete-network-interface --network-interface-id %s", None),
        ("describe_volumes", "Volumes", "VolumeId", "ebs-volume", "aws ec2 delete-volume --volume-id %s", None),
        ("describe_launch_templates", "LaunchTemplates", "LaunchTemplateId", "launch-template",
         "aws ec2 delete-launch-template --launch-template-id %s", None),
        ("describe_addresses", "Addresses", "AllocationId", "elastic-ip", "aws ec2 release-address --allocation-id %s", None),
        ("describe_internet_gateways", "InternetGateways", "InternetGatewayId", "internet-gateway",
         "aws ec2 delete-internet-gateway --internet-gateway-id %s", None),
        ("describe_security_groups", "SecurityGroups", "GroupId", "security-group",
         "aws ec2 delete-security-group --group-id %s", lambda r: r.get("GroupName") == "default"),
        ("describe_route_tables", "RouteTables", "RouteTableId", "route-table",
         "aws ec2 delete-route-table --route-table-id %s", None),
        ("describe_subnets", "Subnets", "SubnetId", "subnet", "aws ec2 delete-subnet --subnet-id %s", None),
        ("describe_vpcs", "Vpcs", "VpcId", "vpc", "aws ec2 delete-vpc --vpc-id %s", None),
    ]
    found = []
    for call, key, id_field, kind, command, skip in kinds:
        for item in getattr(ec2, call)(Filters=filters).get(key, []):
            if skip is None or not skip(item):
                found.append({"type": kind, "id": item[id_field], "remove": command % item[id_field]})
    return found


def s3_leftovers(s3, wanted):
    found = []
    for bucket in s3.list_buckets().get("Buckets", []):
        name = bucket["Name"]
        try:
            tags = _tag_dict(s3.get_bucket_tagging(Bucket=name).get("TagSet"))
        except s3.exceptions.ClientError:
            continue  # no tags, or a bucket of another account/region we may not read
        if _matches(tags, wanted):
            found.append({"type": "s3-bucket", "id": name,
                          "remove": "aws s3 rb s3://%s --force  # versioned: delete all versions first" % name})
    return found


def dynamodb_leftovers(ddb, wanted):
    found = []
    for page in ddb.get_paginator("list_tables").paginate():
        for name in page.get("TableNames", []):
            arn = ddb.describe_table(TableName=name)["Table"]["TableArn"]
            if _matches(_tag_dict(ddb.list_tags_of_resource(ResourceArn=arn).get("Tags")), wanted):
                found.append({"type": "dynamodb-table", "id": name,
                              "remove": "aws dynamodb delete-table --table-name %s" % name})
    return found


def kms_leftovers(kms, wanted):
    found = []
    for page in kms.get_paginator("list_keys").paginate():
        for key in page.get("Keys", []):
            meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
            if meta.get("KeyManager") != "CUSTOMER" or meta.get("KeyState") in ("PendingDeletion", "PendingReplicaDeletion"):
                continue
            tags = _tag_dict(kms.list_resource_tags(KeyId=key["KeyId"]).get("Tags"), "TagKey", "TagValue")
            if _matches(tags, wanted):
                found.append({"type": "kms-key", "id": key["KeyId"],
                              "remove": "aws kms schedule-key-deletion --key-id %s --pending-window-in-days 7" % key["KeyId"]})
    return found


def logs_leftovers(logs, wanted):
    found = []
    for page in logs.get_paginator("describe_log_groups").paginate():
        for group in page.get("logGroups", []):
            tags = logs.list_tags_log_group(logGroupName=group["logGroupName"]).get("tags", {})
            if _matches(tags, wanted):
                found.append({"type": "log-group", "id": group["logGroupName"],
                              "remove": "aws logs delete-log-group --log-group-name %s" % group["logGroupName"]})
    return found


def eks_leftovers(eks, wanted):
    found = []
    for page in eks.get_paginator("list_clusters").paginate():
        for name in page.get("clusters", []):
            # node groups first: a cluster cannot be deleted while it has any
            for group in eks.list_nodegroups(clusterName=name).get("nodegroups", []):
                tags = eks.describe_nodegroup(clusterName=name, nodegroupName=group)["nodegroup"].get("tags", {})
                if _matches(tags, wanted):
                    found.append({"type": "eks-node-group", "id": "%s/%s" % (name, group),
                                  "remove": "aws eks delete-nodegroup --cluster-name %s --nodegroup-name %s" % (name, group)})
            if _matches(eks.describe_cluster(name=name)["cluster"].get("tags", {}), wanted):
                found.append({"type": "eks-cluster", "id": name, "remove": "aws eks delete-cluster --name %s" % name})
    return found


def route53_leftovers(route53, wanted):
    found = []
    for page in route53.get_paginator("list_hosted_zones").paginate():
        for zone in page.get("HostedZones", []):
            zone_id = zone["Id"].split("/")[-1]
            tags = route53.list_tags_for_resource(ResourceType="hostedzone", ResourceId=zone_id)
            if _matches(_tag_dict(tags["ResourceTagSet"].get("Tags")), wanted):
                found.append({"type": "route53-zone", "id": zone_id,
                              "remove": "aws route53 delete-hosted-zone --id %s  # delete its records first" % zone_id})
    return found


def acm_leftovers(acm, wanted):
    found = []
    for page in acm.get_paginator("list_certificates").paginate():
        for cert in page.get("CertificateSummaryList", []):
            arn = cert["CertificateArn"]
            if _matches(_tag_dict(acm.list_tags_for_certificate(CertificateArn=arn).get("Tags")), wanted):
                found.append({"type": "acm-certificate", "id": arn,
                              "remove": "aws acm delete-certificate --certificate-arn %s" % arn})
    return found


def iam_leftovers(iam, wanted):
    found = []
    for page in iam.get_paginator("list_roles").paginate():
        for role in page.get("Roles", []):
            if _matches(_tag_dict(iam.list_role_tags(RoleName=role["RoleName"]).get("Tags")), wanted):
                found.append({"type": "iam-role", "id": role["RoleName"],
                              "remove": "aws iam delete-role --role-name %s  # detach its policies first" % role["RoleName"]})
    for page in iam.get_paginator("list_policies").paginate(Scope="Local"):
        for policy in page.get("Policies", []):
            if _matches(_tag_dict(iam.list_policy_tags(PolicyArn=policy["Arn"]).get("Tags")), wanted):
                found.append({"type": "iam-policy", "id": policy["Arn"],
                              "remove": "aws iam delete-policy --policy-arn %s" % policy["Arn"]})
    for provider in iam.list_open_id_connect_providers().get("OpenIDConnectProviderList", []):
        arn = provider["Arn"]
        if _matches(_tag_dict(iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn).get("Tags")), wanted):
            found.append({"type": "iam-oidc-provider", "id": arn,
                          "remove": "aws iam delete-open-id-connect-provider --open-id-connect-provider-arn %s" % arn})
    return found


def main():
    module = AnsibleAWSModule(argument_spec=dict(tags=dict(type="dict", required=True)), supports_check_mode=True)
    wanted = {str(k): str(v) for k, v in module.params["tags"].items()}
    if not wanted:
        module.fail_json(msg="tags must name at least one tag, or every resource in the account would match")
    leftovers = (
        eks_leftovers(module.client("eks"), wanted)
        + ec2_leftovers(module.client("ec2"), wanted)
        + route53_leftovers(module.client("route53"), wanted)
        + acm_leftovers(module.client("acm"), wanted)
        + s3_leftovers(module.client("s3"), wanted)
        + dynamodb_leftovers(module.client("dynamodb"), wanted)
        + kms_leftovers(module.client("kms"), wanted)
        + logs_leftovers(module.client("logs"), wanted)
        + iam_leftovers(module.client("iam"), wanted)
    )
    module.exit_json(changed=False, leftovers=leftovers)


if __name__ == "__main__":
    main()
