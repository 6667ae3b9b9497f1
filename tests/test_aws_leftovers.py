"""The audit module finds what teardown left (tagged for the environment) and nothing else."""

from __future__ import annotations

import importlib.util
import json

import boto3

from conftest import ROOT

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
