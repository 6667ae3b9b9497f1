"""The audit module finds what teardown left (tagged for the environment) and nothing else."""

from __future__ import annotations

import importlib.util
import json

import boto3

from conftest import ROOT, plant_controller_leftovers as plant_leftovers

spec = importlib.util.spec_from_file_location("aws_leftovers", ROOT / "roles/aws_audit/library/aws_leftovers.py")
aws_leftovers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(aws_leftovers)

MINE = {"Project": "audit-test", "Environment": "t1"}
OTHER = {"Project": "audit-test", "Environment": "t2"}


def tag_list(tags):
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def spec_tags(kind, tags):
    return [{"ResourceType": kind, "Tags": tag_list(tags)}]


def test_finds_tagged_ec2_resources_and_ignores_others(aws_env):
    ec2 = boto3.client("ec2")
    mine = ec2.create_vpc(CidrBlock="10.91.0.0/16", TagSpecifications=spec_tags("vpc", MINE))["Vpc"]["VpcId"]
    other = ec2.create_vpc(CidrBlock="10.92.0.0/16", TagSpecifications=spec_tags("vpc", OTHER))["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=mine, CidrBlock="10.91.1.0/24",
                               TagSpecifications=spec_tags("subnet", MINE))["Subnet"]["SubnetId"]
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1,
                               TagSpecifications=spec_tags("volume", MINE))["VolumeId"]
    eip = ec2.allocate_address(Domain="vpc", TagSpecifications=spec_tags("elastic-ip", MINE))["AllocationId"]

    found = {(r["type"], r["id"]) for r in aws_leftovers.ec2_leftovers(ec2, MINE)}

    assert {("vpc", mine), ("subnet", subnet), ("ebs-volume", volume), ("elastic-ip", eip)} <= found
    assert all(rid != other for _, rid in found)
    # the default security group of a VPC goes with the VPC: never reported on its own
    assert not any(kind == "security-group" for kind, _ in found)


def test_finds_tagged_s3_dynamodb_kms_logs_iam(aws_env):
    s3, ddb, kms = boto3.client("s3"), boto3.client("dynamodb"), boto3.client("kms")
    logs, iam = boto3.client("logs"), boto3.client("iam")
    s3.create_bucket(Bucket="audit-mine")
    s3.put_bucket_tagging(Bucket="audit-mine", Tagging={"TagSet": tag_list(MINE)})
    s3.create_bucket(Bucket="audit-untagged")
    ddb.create_table(TableName="audit-lock", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}], Tags=tag_list(MINE))
    live = kms.create_key(Tags=[{"TagKey": k, "TagValue": v} for k, v in MINE.items()])["KeyMetadata"]["KeyId"]
    doomed = kms.create_key(Tags=[{"TagKey": k, "TagValue": v} for k, v in MINE.items()])["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=doomed, PendingWindowInDays=7)
    logs.create_log_group(logGroupName="/audit/mine", tags=MINE)
    iam.create_role(RoleName="audit-role", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
                    Tags=tag_list(MINE))

    found = {(r["type"], r["id"]): r["remove"] for r in (
        aws_leftovers.s3_leftovers(s3, MINE) + aws_leftovers.dynamodb_leftovers(ddb, MINE)
        + aws_leftovers.kms_leftovers(kms, MINE) + aws_leftovers.logs_leftovers(logs, MINE)
        + aws_leftovers.iam_leftovers(iam, MINE))}

    assert ("s3-bucket", "audit-mine") in found
    assert ("s3-bucket", "audit-untagged") not in found
    assert ("dynamodb-table", "audit-lock") in found
    assert ("kms-key", live) in found
    assert ("kms-key", doomed) not in found  # pending deletion counts as gone
    assert ("log-group", "/audit/mine") in found
    assert found[("iam-role", "audit-role")].startswith("aws iam delete-role --role-name audit-role")


def test_finds_tagged_eks_route53_acm_launch_templates(aws_env):
    eks, route53, acm, ec2, iam = (boto3.client(n) for n in ("eks", "route53", "acm", "ec2", "iam"))
    role = iam.create_role(RoleName="audit-eks", AssumeRolePolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": []}))["Role"]["Arn"]
    vpc = ec2.create_vpc(CidrBlock="10.93.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.93.1.0/24")["Subnet"]["SubnetId"]
    eks.create_cluster(name="audit-mine", roleArn=role, resourcesVpcConfig={"subnetIds": [subnet]}, tags=MINE)
    eks.create_nodegroup(clusterName="audit-mine", nodegroupName="ng", nodeRole=role, subnets=[subnet], tags=MINE)
    eks.create_cluster(name="audit-other", roleArn=role, resourcesVpcConfig={"subnetIds": [subnet]}, tags=OTHER)
    zone = route53.create_hosted_zone(Name="audit.test", CallerReference="audit")["HostedZone"]["Id"].split("/")[-1]
    route53.change_tags_for_resource(ResourceType="hostedzone", ResourceId=zone, AddTags=tag_list(MINE))
    cert = acm.request_certificate(DomainName="t1.audit.test", ValidationMethod="DNS", Tags=tag_list(MINE))["CertificateArn"]
    template = ec2.create_launch_template(LaunchTemplateName="audit-lt", LaunchTemplateData={},
                                          TagSpecifications=spec_tags("launch-template", MINE))
    template_id = template["LaunchTemplate"]["LaunchTemplateId"]

    found = [(r["type"], r["id"]) for r in (
        aws_leftovers.eks_leftovers(eks, MINE) + aws_leftovers.route53_leftovers(route53, MINE)
        + aws_leftovers.acm_leftovers(acm, MINE) + aws_leftovers.ec2_leftovers(ec2, MINE))]

    # the node group is listed before its cluster: that is the order they can be deleted in
    assert found.index(("eks-node-group", "audit-mine/ng")) < found.index(("eks-cluster", "audit-mine"))
    assert ("eks-cluster", "audit-other") not in found
    assert ("route53-zone", zone) in found
    assert ("acm-certificate", cert) in found
    assert ("launch-template", template_id) in found


# What the cluster's controllers leave: planted the way they make it.

def plant_controller_leftovers(cluster, cidr, tags):
    """conftest's planted leftovers in a VPC of the environment's own, with a node security group
    whose rule refers to the ALB's, and subnets tagged kubernetes.io/cluster/<name>=shared
    (Terraform's, never a leftover)."""
    ec2, elbv2 = boto3.client("ec2"), boto3.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=spec_tags("vpc", tags))["Vpc"]["VpcId"]
    base = cidr.rsplit(".", 2)[0]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"{base}.{i}.0/24", AvailabilityZone=f"us-east-1{az}",
                                 TagSpecifications=spec_tags("subnet", {f"kubernetes.io/cluster/{cluster}": "shared"}))
               ["Subnet"]["SubnetId"] for i, az in ((1, "a"), (2, "b"))]
    node_sg = ec2.create_security_group(GroupName=f"{cluster}-node", Description="node", VpcId=vpc,
                                        TagSpecifications=spec_tags("security-group", tags))["GroupId"]
    # Terraform's NAT gateway: the emulator reports its interface detached, AWS in use
    nat = ec2.create_nat_gateway(SubnetId=subnets[0], AllocationId=ec2.allocate_address(Domain="vpc")["AllocationId"])
    nat_eni = nat["NatGateway"]["NatGatewayAddresses"][0]["NetworkInterfaceId"]
    planted = plant_leftovers(ec2, elbv2, cluster, vpc, subnets, refer_from=node_sg)
    return {**planted, "vpc": vpc, "subnets": subnets, "node_sg": node_sg, "nat_eni": nat_eni}


class FakeModule:
    """What sweep_cluster reads of AnsibleAWSModule."""

    def __init__(self, remove, wait_timeout=0, check_mode=False):
        self.params = {"remove": remove, "wait_timeout": wait_timeout, "wait_delay": 1}
        self.check_mode = check_mode

    def fail_json_aws(self, error, msg):
        raise AssertionError(f"{msg}: {error}")


def test_cluster_scope_lists_what_the_controllers_left_and_nothing_of_terraform(aws_env):
    env = {"Project": "sweep", "Environment": "t1"}  # each test its own environment and VPC
    planted = plant_controller_leftovers("lefty-1", "10.94.0.0/16", tags=env)
    ec2, elbv2 = boto3.client("ec2"), boto3.client("elbv2")

    left, removed, _ = aws_leftovers.sweep_cluster(FakeModule(remove=False), ec2, elbv2, env, "lefty-1")

    found = {(r["type"], r["id"]) for r in left}
    assert found == {("load-balancer", planted["alb"]), ("target-group", planted["tg"]),
                     ("security-group", planted["alb_sg"]), ("network-interface", planted["eni"]),
                     ("ebs-volume", planted["volume"])}
    assert removed == []
    assert all(r["remove"].startswith("aws ") and r["id"] in r["remove"] for r in left)
    assert planted["nat_eni"] not in {r["id"] for r in left}
    # listing changed nothing
    assert elbv2.describe_load_balancers(LoadBalancerArns=[planted["alb"]])["LoadBalancers"]


def test_cluster_scope_removes_them_in_dependency_order(aws_env):
    env = {"Project": "sweep", "Environment": "t2"}  # each test its own environment and VPC
    planted = plant_controller_leftovers("lefty-2", "10.95.0.0/16", tags=env)
    ec2, elbv2 = boto3.client("ec2"), boto3.client("elbv2")

    left, removed, _ = aws_leftovers.sweep_cluster(FakeModule(remove=True), ec2, elbv2, env, "lefty-2")

    assert left == []
    assert [r["type"] for r in removed] == ["load-balancer", "target-group", "ebs-volume", "network-interface",
                                            "security-group"]
    assert aws_leftovers.cluster_leftovers(ec2, elbv2, env, "lefty-2") == []
    # the node group's rule that referred to the ALB's group was revoked, the node group kept
    node = ec2.describe_security_groups(GroupIds=[planted["node_sg"]])["SecurityGroups"][0]
    assert not any(p["GroupId"] == planted["alb_sg"] for rule in node["IpPermissions"]
                   for p in rule.get("UserIdGroupPairs", []))
    assert ec2.describe_subnets(SubnetIds=planted["subnets"])["Subnets"]  # Terraform's subnets untouched


def test_cluster_scope_in_check_mode_removes_nothing(aws_env):
    env = {"Project": "sweep", "Environment": "t3"}  # each test its own environment and VPC
    planted = plant_controller_leftovers("lefty-3", "10.96.0.0/16", tags=env)
    ec2, elbv2 = boto3.client("ec2"), boto3.client("elbv2")

    left, would, _ = aws_leftovers.sweep_cluster(FakeModule(remove=True, check_mode=True), ec2, elbv2, env, "lefty-3")

    assert left == [] and len(would) == 5
    assert ec2.describe_volumes(VolumeIds=[planted["volume"]])["Volumes"]


def test_cluster_scope_waits_for_the_controllers_bounded(aws_env):
    """While a load balancer is there it waits (the controller deletes it); the wait ends at
    wait_timeout and what is left is listed."""
    env = {"Project": "sweep", "Environment": "t4"}  # each test its own environment and VPC
    planted = plant_controller_leftovers("lefty-4", "10.97.0.0/16", tags=env)
    ec2, elbv2 = boto3.client("ec2"), boto3.client("elbv2")
    import threading

    def controller():  # deletes its ALB and target group 2 s later, as the controller would
        import time
        time.sleep(2)
        elbv2.delete_load_balancer(LoadBalancerArn=planted["alb"])
        elbv2.delete_target_group(TargetGroupArn=planted["tg"])

    worker = threading.Thread(target=controller)
    worker.start()
    left, _, waited = aws_leftovers.sweep_cluster(FakeModule(remove=False, wait_timeout=4), ec2, elbv2, env, "lefty-4")
    worker.join()

    kinds = {r["type"] for r in left}
    assert "load-balancer" not in kinds and "target-group" not in kinds  # it saw them go
    assert {"security-group", "ebs-volume", "network-interface"} <= kinds
    assert 2 <= waited <= 6  # the security group and volume were awaited until the timeout


def test_account_scope_counts_the_cluster_tags_and_its_log_group(aws_env):
    planted = plant_controller_leftovers("lefty-5", "10.98.0.0/16", tags={"Project": "other", "Environment": "x"})
    ec2, elbv2, logs = boto3.client("ec2"), boto3.client("elbv2"), boto3.client("logs")
    logs.create_log_group(logGroupName="/aws/eks/lefty-5/cluster")  # re-created by EKS, untagged

    found = {(r["type"], r["id"]) for r in (
        aws_leftovers.elbv2_leftovers(elbv2, MINE, "lefty-5") + aws_leftovers.ec2_leftovers(ec2, MINE, "lefty-5")
        + aws_leftovers.logs_leftovers(logs, MINE, "lefty-5"))}

    assert {("load-balancer", planted["alb"]), ("target-group", planted["tg"]), ("security-group", planted["alb_sg"]),
            ("network-interface", planted["eni"]), ("ebs-volume", planted["volume"]),
            ("log-group", "/aws/eks/lefty-5/cluster")} <= found
    # subnets tagged kubernetes.io/cluster/<name>=shared are not the cluster's own
    assert not any(rid in planted["subnets"] for _, rid in found)
    # without the cluster name only the environment's tags count
    assert not aws_leftovers.elbv2_leftovers(elbv2, MINE)
