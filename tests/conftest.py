"""Shared fixtures: the repository root, an ansible-playbook runner, a private moto server."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def playbook_env(env: dict | None = None) -> dict:
    """The environment ansible-playbook runs with in tests: the project's ansible.cfg, no colour."""
    return {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_CALLBACKS_ENABLED": "phase_timer", **(env or {})}


def playbook(*args: str, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run ansible-playbook from the repository root with the project's ansible.cfg."""
    return subprocess.run([str(BIN / "ansible-playbook"), *args], cwd=ROOT, env=playbook_env(env), capture_output=True,
                          text=True, timeout=timeout)


def recap_changed(output: str) -> set[int]:
    """changed= of every host in the recap (localhost and the platform phase's release hosts)."""
    return {int(n) for n in re.findall(r"^\S+\s+: ok=\d+\s+changed=(\d+)", output, re.M)}


def aws_client(name: str, endpoint: str):
    """A boto3 client of the embedded AWS at endpoint (the local inventory's region and keys)."""
    import boto3
    return boto3.client(name, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="emulator",
                        aws_secret_access_key="emulator")


def extra_vars(**values) -> list[str]:
    return ["-e", json.dumps(values)]


@pytest.fixture(scope="session")
def moto_url(tmp_path_factory):
    """A moto server of the test session's own, on a free loopback port, started the way the
    aws_emulator role starts it (through its launcher with the fidelity fixes)."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    env = {**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true", "MOTO_ACM_VALIDATION_WAIT": "1"}
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, str(ROOT / "roles/aws_emulator/files/moto_server.py"), "-H", "127.0.0.1", "-p", str(port)], stdout=out,
                                stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("moto_server did not start: " + log.read_text())
            time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
def aws_env(moto_url, monkeypatch):
    """boto3 (and modules run in-process) talk to the session's moto server."""
    for key, value in {"AWS_ENDPOINT_URL": moto_url, "AWS_ACCESS_KEY_ID": "emulator",
                       "AWS_SECRET_ACCESS_KEY": "emulator", "AWS_REGION": "us-east-1",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    return moto_url


def plant_controller_leftovers(ec2, elbv2, cluster: str, vpc: str, subnets: list[str], refer_from: str | None = None) -> dict:
    """Leave in a VPC what the cluster's controllers make and a failed teardown leaves behind:
    an ALB with its target group, listener and security group (AWS Load Balancer Controller tags),
    a detached ENI (VPC CNI tag) and a claim's EBS volume (EBS CSI driver tags). With refer_from,
    that security group gets a rule referring to the ALB's group, as the controller adds to nodes."""
    def tags(pairs):
        return [{"Key": k, "Value": v} for k, v in pairs.items()]

    lbc = {"elbv2.k8s.aws/cluster": cluster, "ingress.k8s.aws/stack": "shopfront"}
    sg = ec2.create_security_group(GroupName=f"k8s-{cluster}-alb", Description="managed by the LB controller", VpcId=vpc,
                                   TagSpecifications=[{"ResourceType": "security-group", "Tags": tags(lbc)}])["GroupId"]
    if refer_from:
        ec2.authorize_security_group_ingress(GroupId=refer_from, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": sg}]}])
    alb = elbv2.create_load_balancer(Name=f"k8s-{cluster}"[:32], Subnets=subnets, SecurityGroups=[sg],
                                     Tags=tags(lbc))["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elbv2.create_target_group(Name=f"k8s-{cluster}-tg"[:32], Protocol="HTTP", Port=8080, VpcId=vpc,
                                   TargetType="ip", Tags=tags(lbc))["TargetGroups"][0]["TargetGroupArn"]
    elbv2.create_listener(LoadBalancerArn=alb, Protocol="HTTP", Port=80,
                          DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
    eni = ec2.create_network_interface(SubnetId=subnets[0], Description="aws-K8S-i-0123456789abcdef0", TagSpecifications=[
        {"ResourceType": "network-interface", "Tags": tags({"cluster.k8s.amazonaws.com/name": cluster})}])
    volume = ec2.create_volume(AvailabilityZone=ec2.describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["AvailabilityZone"],
                               Size=1, TagSpecifications=[{"ResourceType": "volume", "Tags": tags({
                                   f"kubernetes.io/cluster/{cluster}": "owned", "KubernetesCluster": cluster,
                                   "ebs.csi.aws.com/cluster": "true", "kubernetes.io/created-for/pvc/name": "data-mongodb-0"})}])
    return {"alb_sg": sg, "alb": alb, "tg": tg, "eni": eni["NetworkInterface"]["NetworkInterfaceId"],
            "volume": volume["VolumeId"]}
