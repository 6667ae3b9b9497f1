"""The emulator launcher answers like AWS where the platform depends on it."""

from __future__ import annotations

import boto3

TAGS = [{"Key": "Project", "Value": "fidelity"}]


def launch_template_data(name, data):
    ec2 = boto3.client("ec2")
    created = ec2.create_launch_template(LaunchTemplateName=name, LaunchTemplateData=data,
                                         TagSpecifications=[{"ResourceType": "launch-template", "Tags": TAGS}])
    template = created["LaunchTemplate"]
    version = ec2.describe_launch_template_versions(LaunchTemplateId=template["LaunchTemplateId"])
    return template, version["LaunchTemplateVersions"][0]["LaunchTemplateData"]


def test_launch_template_tags_stay_out_of_the_template_data(aws_env):
    # AWS keeps the template's own tags on the template; its data holds only what was sent
    template, data = launch_template_data("fidelity-plain", {"InstanceType": "t3.large"})
    assert template["Tags"] == TAGS
    assert "TagSpecifications" not in data

    instance_tags = [{"ResourceType": "instance", "Tags": TAGS}]
    _, data = launch_template_data("fidelity-instance", {"TagSpecifications": instance_tags})
    assert data["TagSpecifications"] == instance_tags
