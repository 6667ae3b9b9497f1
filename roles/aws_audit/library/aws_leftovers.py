#!/usr/bin/python
# -*- coding: utf-8 -*-
# Apache-2.0
"""List the AWS resources an environment or its cluster left; sweep what the cluster's controllers made."""

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_leftovers
short_description: List AWS resources still tagged for an environment
description:
  - "I(scope=account) (after teardown): reads the region (and IAM, which is global) for resources
    whose tags include every pair in I(tags), or that carry a tag Kubernetes controllers put on what
    they make for I(cluster_name), and returns each with a command that removes it. Read-only."
  - "Account scope covers: VPCs, subnets, route tables, internet and NAT gateways, Elastic IPs, VPC
    endpoints, security groups, network interfaces, EBS volumes, launch templates, load balancers
    and target groups, EKS clusters and node groups, Route53 hosted zones, ACM certificates, S3
    buckets, DynamoDB tables, KMS keys (not pending deletion), CloudWatch log groups (also
    C(/aws/eks/<cluster>/*), which EKS can re-create untagged), IAM roles, policies and OIDC providers."
  - "I(scope=cluster) (before the cluster is destroyed): what the cluster's controllers made outside
    Terraform and would leave behind: load balancers, target groups and security groups tagged
    C(elbv2.k8s.aws/cluster=<cluster>) (AWS Load Balancer Controller), EBS volumes tagged for the
    cluster (EBS CSI driver), and detached network interfaces in the environment's VPCs or tagged
    for the cluster (VPC CNI). It waits up to I(wait_timeout) seconds for the load balancers,
    target groups, security groups and volumes to go (their controllers delete them once the
    Ingresses, Services and volume claims are gone), then returns what is left or, with
    I(remove=true), deletes it in dependency order and returns what it removed."
  - "Cluster tags: C(elbv2.k8s.aws/cluster=<name>), C(kubernetes.io/cluster/<name>=owned) (not
    C(shared), which the network stack puts on subnets), C(cluster.k8s.amazonaws.com/name=<name>),
    C(KubernetesCluster=<name>)."
options:
  tags:
    description:
      - Tags a resource must all carry to count as the environment's.
      - In cluster scope, they find the environment's VPCs.
    type: dict
    required: true
  cluster_name:
    description: The EKS cluster whose controllers' resources count too. Required in cluster scope.
    type: str
  scope:
    description: C(account) lists everything left after teardown; C(cluster) handles what the cluster's controllers made.
    type: str
    choices: [account, cluster]
    default: account
  remove:
    description: Cluster scope only. Delete what is left after the wait instead of only listing it.
    type: bool
    default: false
  wait_timeout:
    description: Cluster scope only. Seconds to wait for the controllers to delete their resources.
    type: int
    default: 0
  wait_delay:
    description: Seconds between two looks while waiting.
    type: int
    default: 10
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
removed:
  description: Resources deleted (cluster scope with I(remove=true); in check mode, what would be).
  returned: always
  type: list
  elements: dict
waited:
  description: Seconds spent waiting for the controllers (cluster scope).
  returned: always
  type: int
leftovers:
  description: Resources still there (account scope, or cluster scope without removal or after a failed removal).
  returned: always
  type: list
  elements: dict
  contains:
    type: {description: Resource type, type: str}
    id: {description: Identifier, type: str}
    remove: {description: An AWS CLI command that deletes it, type: str}
    why: {description: Why it counts as the cluster's (cluster scope), type: str}
"""

import time

try:
    import botocore  # noqa: F401
except ImportError:
    pass

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule


def _tag_dict(tags, key="Key", value="Value"):
    return {t[key]: t[value] for t in tags or []}


def _matches(tags, wanted):
    return all(tags.get(k) == v for k, v in wanted.items())


def cluster_tagged(tags, cluster):
    """Whether a controller tagged the resource as made for the cluster (the conventions above)."""
    return bool(cluster) and (tags.get("elbv2.k8s.aws/cluster") == cluster
                              or tags.get("kubernetes.io/cluster/%s" % cluster) == "owned"
                              or tags.get("cluster.k8s.amazonaws.com/name") == cluster
                              or tags.get("KubernetesCluster") == cluster)


def _project_filters(wanted):
    return [{"Name": "tag:%s" % k, "Values": [v]} for k, v in wanted.items()]


def _cluster_filter_sets(cluster):
    """EC2 filters AND their terms: one describe per cluster tag convention."""
    if not cluster:
        return []
    return [[{"Name": "tag:elbv2.k8s.aws/cluster", "Values": [cluster]}],
            [{"Name": "tag:kubernetes.io/cluster/%s" % cluster, "Values": ["owned"]}],
            [{"Name": "tag:cluster.k8s.amazonaws.com/name", "Values": [cluster]}],
            [{"Name": "tag:KubernetesCluster", "Values": [cluster]}]]


def ec2_leftovers(ec2, wanted, cluster=None):
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
    found, seen = [], set()
    for call, key, id_field, kind, command, skip in kinds:
        for filters in [_project_filters(wanted)] + _cluster_filter_sets(cluster):
            for item in getattr(ec2, call)(Filters=filters).get(key, []):
                if item[id_field] not in seen and (skip is None or not skip(item)):
                    seen.add(item[id_field])
                    found.append({"type": kind, "id": item[id_field], "remove": command % item[id_field]})
    return found


def _elbv2_tags(elbv2, arns):
    tags = {}
    for i in range(0, len(arns), 20):  # DescribeTags takes at most 20 ARNs
        for desc in elbv2.describe_tags(ResourceArns=arns[i:i + 20]).get("TagDescriptions", []):
            tags[desc["ResourceArn"]] = _tag_dict(desc.get("Tags"))
    return tags


def elbv2_resources(elbv2):
    """Every load balancer and target group of the region with its tags, load balancers first."""
    lbs = [lb["LoadBalancerArn"] for page in elbv2.get_paginator("describe_load_balancers").paginate()
           for lb in page.get("LoadBalancers", [])]
    tgs = [tg["TargetGroupArn"] for page in elbv2.get_paginator("describe_target_groups").paginate()
           for tg in page.get("TargetGroups", [])]
    lb_tags, tg_tags = _elbv2_tags(elbv2, lbs), _elbv2_tags(elbv2, tgs)
    return ([("load-balancer", arn, lb_tags.get(arn, {}), "aws elbv2 delete-load-balancer --load-balancer-arn %s")
             for arn in lbs]
            + [("target-group", arn, tg_tags.get(arn, {}), "aws elbv2 delete-target-group --target-group-arn %s")
               for arn in tgs])


def elbv2_leftovers(elbv2, wanted, cluster=None):
    return [{"type": kind, "id": arn, "remove": command % arn}
            for kind, arn, tags, command in elbv2_resources(elbv2)
            if _matches(tags, wanted) or cluster_tagged(tags, cluster)]


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


def logs_leftovers(logs, wanted, cluster=None):
    found = []
    # EKS writes its control-plane logs to /aws/eks/<cluster>/cluster and re-creates the group,
    # untagged, if it is deleted while the cluster still logs.
    eks_prefix = "/aws/eks/%s/" % cluster if cluster else None
    for page in logs.get_paginator("describe_log_groups").paginate():
        for group in page.get("logGroups", []):
            tags = logs.list_tags_log_group(logGroupName=group["logGroupName"]).get("tags", {})
            if _matches(tags, wanted) or (eks_prefix and group["logGroupName"].startswith(eks_prefix)):
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


# Cluster scope: what the cluster's controllers made outside Terraform.

# Kinds the controllers delete themselves once their Kubernetes objects are gone: worth waiting for.
AWAITED = ("load-balancer", "target-group", "security-group", "ebs-volume")


def cluster_leftovers(ec2, elbv2, wanted, cluster):
    """Load balancers, target groups and security groups of the load balancer controller, the
    cluster's EBS volumes, and detached network interfaces in the environment's VPCs or tagged
    for the cluster; each with why it counts."""
    found = []
    for kind, arn, tags, command in elbv2_resources(elbv2):
        if tags.get("elbv2.k8s.aws/cluster") == cluster:
            found.append({"type": kind, "id": arn, "remove": command % arn,
                          "why": "tagged elbv2.k8s.aws/cluster=%s" % cluster})
    for group in ec2.describe_security_groups(
            Filters=[{"Name": "tag:elbv2.k8s.aws/cluster", "Values": [cluster]}])["SecurityGroups"]:
        found.append({"type": "security-group", "id": group["GroupId"], "vpc": group.get("VpcId"),
                      "remove": "aws ec2 delete-security-group --group-id %s" % group["GroupId"],
                      "why": "tagged elbv2.k8s.aws/cluster=%s" % cluster})
    seen = set()
    for filters in _cluster_filter_sets(cluster):
        for volume in ec2.describe_volumes(Filters=filters)["Volumes"]:
            if volume["VolumeId"] in seen or volume["State"] in ("deleting", "deleted"):
                continue
            seen.add(volume["VolumeId"])
            attached = [a["InstanceId"] for a in volume.get("Attachments", [])]
            found.append({"type": "ebs-volume", "id": volume["VolumeId"], "state": volume["State"],
                          "remove": "aws ec2 delete-volume --volume-id %s" % volume["VolumeId"],
                          "why": "made for the cluster (EBS CSI driver)"
                                 + (", attached to %s" % ", ".join(attached) if attached else "")})
    vpcs = [v["VpcId"] for v in ec2.describe_vpcs(Filters=_project_filters(wanted))["Vpcs"]]
    detached = [{"Name": "status", "Values": ["available"]}]
    interfaces = {}
    if vpcs:
        # Interfaces of Terraform's NAT gateways and endpoints go with them (AWS reports them
        # in use, an emulator may not): never the controllers' leftovers.
        in_vpc = [{"Name": "vpc-id", "Values": vpcs}]
        owned = {a.get("NetworkInterfaceId") for nat in ec2.describe_nat_gateways(Filter=in_vpc)["NatGateways"]
                 for a in nat.get("NatGatewayAddresses", [])}
        owned |= {i for endpoint in ec2.describe_vpc_endpoints(Filters=in_vpc)["VpcEndpoints"]
                  for i in endpoint.get("NetworkInterfaceIds", [])}
        for eni in ec2.describe_network_interfaces(Filters=detached + in_vpc)["NetworkInterfaces"]:
            if (eni["NetworkInterfaceId"] not in owned and not eni.get("RequesterManaged")
                    and eni.get("InterfaceType", "interface") == "interface"):
                interfaces[eni["NetworkInterfaceId"]] = "detached, in VPC %s" % eni["VpcId"]
    for eni in ec2.describe_network_interfaces(
            Filters=detached + [{"Name": "tag:cluster.k8s.amazonaws.com/name", "Values": [cluster]}])["NetworkInterfaces"]:
        interfaces.setdefault(eni["NetworkInterfaceId"], "detached, tagged for the cluster (VPC CNI)")
    for eni_id, why in sorted(interfaces.items()):
        found.append({"type": "network-interface", "id": eni_id, "why": why,
                      "remove": "aws ec2 delete-network-interface --network-interface-id %s" % eni_id})
    return found


def _code(error):
    """The AWS error code of a botocore ClientError (None for anything else)."""
    return getattr(error, "response", {}).get("Error", {}).get("Code")


def _retry(call, codes, deadline, delay=3):
    """Call until it stops failing with one of codes (a dependency still going away) or the deadline."""
    while True:
        try:
            return call()
        except Exception as error:  # botocore ClientError; anything else is raised as is
            if _code(error) not in codes or time.monotonic() > deadline:
                raise
            time.sleep(delay)


def remove_cluster_leftovers(ec2, elbv2, found, budget=300):
    """Delete in dependency order: load balancers (and wait for them, they hold the target groups
    and network interfaces), target groups, volumes, network interfaces, then security groups
    after revoking the rules of other groups that refer to them."""
    deadline = time.monotonic() + budget
    by_type = {}
    for item in found:
        by_type.setdefault(item["type"], []).append(item)
    removed = []
    for item in by_type.get("load-balancer", []):
        elbv2.delete_load_balancer(LoadBalancerArn=item["id"])
        removed.append(item)
    arns = [i["id"] for i in by_type.get("load-balancer", [])]
    while arns and time.monotonic() < deadline:
        try:
            elbv2.describe_load_balancers(LoadBalancerArns=arns)
        except Exception as error:
            if _code(error) == "LoadBalancerNotFound":
                break
            raise
        time.sleep(3)
    for item in by_type.get("target-group", []):
        _retry(lambda: elbv2.delete_target_group(TargetGroupArn=item["id"]), ("ResourceInUse",), deadline)
        removed.append(item)
    for item in by_type.get("ebs-volume", []):
        if item.get("state") == "available":  # an attached volume goes with its instance, or stays listed
            _retry(lambda: ec2.delete_volume(VolumeId=item["id"]), ("VolumeInUse",), deadline)
            removed.append(item)
    for item in by_type.get("network-interface", []):
        _retry(lambda: ec2.delete_network_interface(NetworkInterfaceId=item["id"]),
               ("InvalidNetworkInterface.InUse",), deadline)
        removed.append(item)
    groups = by_type.get("security-group", [])
    doomed = {g["id"] for g in groups}
    for vpc in {g["vpc"] for g in groups}:
        for other in ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]:
            if other["GroupId"] in doomed:
                continue
            for direction, rules in (("ingress", other.get("IpPermissions", [])),
                                     ("egress", other.get("IpPermissionsEgress", []))):
                refs = [dict(rule, UserIdGroupPairs=[p for p in rule["UserIdGroupPairs"] if p["GroupId"] in doomed],
                             IpRanges=[], Ipv6Ranges=[], PrefixListIds=[])
                        for rule in rules if any(p["GroupId"] in doomed for p in rule.get("UserIdGroupPairs", []))]
                if refs:
                    revoke = ec2.revoke_security_group_ingress if direction == "ingress" else ec2.revoke_security_group_egress
                    revoke(GroupId=other["GroupId"], IpPermissions=refs)
    for item in groups:
        _retry(lambda: ec2.delete_security_group(GroupId=item["id"]), ("DependencyViolation",), deadline)
        removed.append(item)
    return removed


def sweep_cluster(module, ec2, elbv2, wanted, cluster):
    """Wait for the controllers, then list or remove what they left."""
    started = time.monotonic()
    deadline = started + module.params["wait_timeout"]
    found = cluster_leftovers(ec2, elbv2, wanted, cluster)
    while any(i["type"] in AWAITED for i in found) and time.monotonic() < deadline:
        time.sleep(module.params["wait_delay"])
        found = cluster_leftovers(ec2, elbv2, wanted, cluster)
    waited = int(time.monotonic() - started)
    if not found or not module.params["remove"]:
        return found, [], waited
    if module.check_mode:
        return [], found, waited
    try:
        removed = remove_cluster_leftovers(ec2, elbv2, found)
    except Exception as error:
        module.fail_json_aws(error, msg="Removing what the cluster's controllers left failed; still there: %s"
                             % ", ".join("%s %s" % (i["type"], i["id"]) for i in cluster_leftovers(ec2, elbv2, wanted, cluster)))
    return cluster_leftovers(ec2, elbv2, wanted, cluster), removed, waited


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            tags=dict(type="dict", required=True),
            cluster_name=dict(type="str"),
            scope=dict(type="str", choices=["account", "cluster"], default="account"),
            remove=dict(type="bool", default=False),
            wait_timeout=dict(type="int", default=0),
            wait_delay=dict(type="int", default=10),
        ),
        required_if=[("scope", "cluster", ["cluster_name"])],
        supports_check_mode=True,
    )
    wanted = {str(k): str(v) for k, v in module.params["tags"].items()}
    if not wanted:
        module.fail_json(msg="tags must name at least one tag, or every resource in the account would match")
    cluster = module.params["cluster_name"] or None
    if module.params["scope"] == "cluster":
        leftovers, removed, waited = sweep_cluster(module, module.client("ec2"), module.client("elbv2"), wanted, cluster)
        module.exit_json(changed=bool(removed), leftovers=leftovers, removed=removed, waited=waited)
    leftovers = (
        eks_leftovers(module.client("eks"), wanted)
        + elbv2_leftovers(module.client("elbv2"), wanted, cluster)
        + ec2_leftovers(module.client("ec2"), wanted, cluster)
        + route53_leftovers(module.client("route53"), wanted)
        + acm_leftovers(module.client("acm"), wanted)
        + s3_leftovers(module.client("s3"), wanted)
        + dynamodb_leftovers(module.client("dynamodb"), wanted)
        + kms_leftovers(module.client("kms"), wanted)
        + logs_leftovers(module.client("logs"), wanted, cluster)
        + iam_leftovers(module.client("iam"), wanted)
    )
    module.exit_json(changed=False, leftovers=leftovers, removed=[], waited=0)


if __name__ == "__main__":
    main()
