"""The whole cycle on the local inventory, as `make up` / `make down` run it: apply, re-apply
with no change, plant what the cluster's controllers leave behind, destroy with their removal
off (fails with the list, nothing destroyed), destroy (removes and reports them, clean audit),
destroy again with nothing to do. It uses its own emulator port and state folder, so it never
touches an environment `make up` created."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import (ROOT, aws_client as client, extra_vars, free_port, plant_controller_leftovers, playbook,
                      recap_changed)

PHASES_UP = ["preflight", "aws", "bootstrap", "foundation", "eks", "platform"]
RELEASES = ["aws-load-balancer-controller", "cluster-autoscaler", "external-dns", "argocd", "kube-prometheus-stack",
            "loki", "alloy"]


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def live_nat_gateways(endpoint: str) -> int:
    ec2 = client("ec2", endpoint)
    return sum(1 for n in ec2.describe_nat_gateways()["NatGateways"] if n["State"] not in ("deleted", "deleting"))


def platform_after_up(endpoint: str, state) -> dict:
    """What the first `make up` built, read back through the AWS API and the state folder."""
    eks, acm, ec2 = client("eks", endpoint), client("acm", endpoint), client("ec2", endpoint)
    cluster = eks.describe_cluster(name="shopfront-local")["cluster"]
    groups = eks.list_nodegroups(clusterName="shopfront-local")["nodegroups"]
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Project", "Values": ["shopfront"]}])["Vpcs"]
    certs = [acm.describe_certificate(CertificateArn=c["CertificateArn"])["Certificate"]
             for c in acm.list_certificates()["CertificateSummaryList"]]
    kubeconfig = state / "kubeconfig"
    subnets = ec2.describe_subnets(SubnetIds=cluster["resourcesVpcConfig"]["subnetIds"])["Subnets"]
    return {"cluster": cluster, "node_groups": groups, "vpc_ids": [v["VpcId"] for v in vpcs], "certs": certs,
            "cluster_subnets": [(s["VpcId"], s["MapPublicIpOnLaunch"]) for s in subnets],
            "kubeconfig": kubeconfig.read_text() if kubeconfig.exists() else "",
            "kubeconfig_mode": kubeconfig.stat().st_mode & 0o777 if kubeconfig.exists() else None}


def plant_in_the_environment(endpoint: str) -> dict:
    """The load balancer controller's ALB, target group and security group, a CNI network
    interface and a claim's volume, in the environment's VPC, tagged for its cluster."""
    ec2, elbv2 = client("ec2", endpoint), client("elbv2", endpoint)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Project", "Values": ["shopfront"]},
                                     {"Name": "tag:Environment", "Values": ["local"]}])["Vpcs"][0]["VpcId"]
    # the public subnets: the ones the network stack tags for internet-facing load balancers
    public = sorted(s["SubnetId"] for s in ec2.describe_subnets(Filters=[
        {"Name": "vpc-id", "Values": [vpc]}, {"Name": "tag:kubernetes.io/role/elb", "Values": ["1"]}])["Subnets"])
    assert len(public) == 2, public
    return plant_controller_leftovers(ec2, elbv2, "shopfront-local", vpc, public)


def still_there(endpoint: str, planted: dict) -> dict:
    """Which planted resources exist, and whether the cluster and every stack's state survived."""
    ec2, elbv2, eks, s3 = (client(n, endpoint) for n in ("ec2", "elbv2", "eks", "s3"))
    alive = {
        "alb": planted["alb"] in {lb["LoadBalancerArn"] for lb in elbv2.describe_load_balancers()["LoadBalancers"]},
        "tg": planted["tg"] in {t["TargetGroupArn"] for t in elbv2.describe_target_groups()["TargetGroups"]},
        "alb_sg": bool(ec2.describe_security_groups(Filters=[{"Name": "group-id", "Values": [planted["alb_sg"]]}])["SecurityGroups"]),
        "eni": bool(ec2.describe_network_interfaces(Filters=[{"Name": "network-interface-id", "Values": [planted["eni"]]}])["NetworkInterfaces"]),
        "volume": bool(ec2.describe_volumes(Filters=[{"Name": "volume-id", "Values": [planted["volume"]]}])["Volumes"]),
    }
    bucket = next((b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith("shopfront-local-tfstate-")), None)
    states = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])) if bucket else []
    return {"planted": alive, "clusters": eks.list_clusters()["clusters"], "states": states}


def cost_after_up(args: list[str], env: dict, plans) -> dict:
    """What `make cost` (scripts/cost.sh) does, on the environment up1 built: the cost playbook
    in check mode, its plans priced, the plans' folder then deleted. No timing record."""
    run = playbook("playbooks/cost.yml", *args, "--check", *extra_vars(cost_plan_dir=str(plans)),
                   env={**env, "ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.profile_tasks"}, timeout=900)
    written = sorted(p.name for p in plans.iterdir())
    priced = subprocess.run([sys.executable, str(ROOT / "scripts/cost_estimate.py"), str(plans), "--platform",
                             str(plans / "platform.json"), "--require", "bootstrap,github-oidc,network,dns,eks",
                             "--json"], capture_output=True, text=True, timeout=60)
    text = subprocess.run([sys.executable, str(ROOT / "scripts/cost_estimate.py"), str(plans), "--platform",
                           str(plans / "platform.json")], capture_output=True, text=True, timeout=60)
    shutil.rmtree(plans)
    return {"run": run, "written": written, "priced": priced, "text": text.stdout}


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    state = tmp_path_factory.mktemp("state")
    port = free_port()
    env = {"PLATFORM_AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "PLATFORM_TIMING_DIR": str(state / "timing")}
    args = extra_vars(platform_state_dir=str(state))
    runs = {}
    check = ["--check", "--diff", "--tags", "network", *extra_vars(network_one_nat_gateway_per_az=True)]
    refuse = extra_vars(aws_audit_cluster_remove=False)
    for name, book, more in [("up1", "site.yml", []), ("up2", "site.yml", []), ("check", "site.yml", check),
                             ("down_refused", "teardown.yml", refuse), ("down1", "teardown.yml", []),
                             ("down2", "teardown.yml", [])]:
        if name == "down_refused":
            runs["planted"] = plant_in_the_environment(env["PLATFORM_AWS_ENDPOINT_URL"])
        runs[name] = playbook(book, *args, *more, env=env, timeout=1500)
        runs[name + "_listening"] = listening(port)
        if name in ("down_refused", "down1") and runs[name + "_listening"]:
            runs[name + "_after"] = still_there(env["PLATFORM_AWS_ENDPOINT_URL"], runs["planted"])
        if name == "down_refused" and runs[name].returncode != 0:
            continue  # expected: the next teardown removes them
        if name == "up1" and runs[name].returncode == 0:
            runs["platform"] = platform_after_up(env["PLATFORM_AWS_ENDPOINT_URL"], state)
            runs["rendered"] = sorted(str(p.relative_to(state / "platform")) for p in (state / "platform").rglob("*.y*ml"))
        if name == "up2" and runs[name].returncode == 0:
            runs["cost"] = cost_after_up(args, env, tmp_path_factory.mktemp("cost"))
        if name == "check":
            runs["nat_gateways_after_check"] = live_nat_gateways(env["PLATFORM_AWS_ENDPOINT_URL"])
        if runs[name].returncode != 0:
            break
    yield runs, state
    if listening(port):  # a failed run must not leave the emulator behind
        playbook("playbooks/aws_stop.yml", *args, env=env)


def test_up_applies_every_phase_and_reports_timing(cycle):
    runs, state = cycle
    assert runs["up1"].returncode == 0, runs["up1"].stdout[-5000:]
    timing = json.loads((state / "timing" / "site-last.json").read_text())
    assert [p["phase"] for p in timing["phases"]] == PHASES_UP
    assert "PHASE TIMING (site)" in runs["up1"].stdout


def test_up_builds_the_cluster_in_the_vpc_with_dns_and_a_kubeconfig(cycle):
    runs, _ = cycle
    built = runs["platform"]
    cluster = built["cluster"]
    assert cluster["version"] == "1.33"
    # the control plane's network interfaces go in the platform VPC's two private subnets
    assert len(built["cluster_subnets"]) == 2
    assert all(vpc in built["vpc_ids"] and not public for vpc, public in built["cluster_subnets"])
    assert cluster["resourcesVpcConfig"]["endpointPrivateAccess"] is True
    assert cluster["resourcesVpcConfig"]["publicAccessCidrs"] == ["203.0.113.0/24"]
    assert built["node_groups"] == ["default"]
    issued = {c["DomainName"]: c for c in built["certs"] if c["Status"] == "ISSUED"}
    assert "*.local.shopfront.test" in issued["local.shopfront.test"]["SubjectAlternativeNames"]
    # the kubeconfig points at the cluster and gets tokens through the AWS CLI: no credential in it
    assert cluster["endpoint"] in built["kubeconfig"]
    assert '"get-token"' in built["kubeconfig"] and "secret" not in built["kubeconfig"].lower()
    assert built["kubeconfig_mode"] == 0o600


def test_up_without_a_reachable_cluster_renders_the_platform_and_says_so(cycle):
    runs, _ = cycle
    out = " ".join(runs["up1"].stdout.split())  # the YAML result format folds long messages
    # the embedded AWS has no EKS API and this machine has no kind: the phase says so plainly
    assert "no Kubernetes API answers at kind (" in out
    assert "writing what would be installed to" in out
    for release in RELEASES:
        assert f"{release}/release.yml" in runs["rendered"] and f"{release}/values.yaml" in runs["rendered"]
    assert any(f.startswith("argocd-objects/") for f in runs["rendered"])


def test_second_up_changes_nothing(cycle):
    runs, _ = cycle
    assert runs["up2"].returncode == 0, runs["up2"].stdout[-5000:]
    assert recap_changed(runs["up2"].stdout) == {0}


def test_cost_prices_the_plans_of_the_real_environment(cycle):
    """make cost after make up: every stack's plan as JSON, priced from the pinned table; the
    figures follow the local inventory (2 x t3.large, 50 GB disks, one NAT gateway)."""
    runs, state = cycle
    cost = runs["cost"]
    assert cost["run"].returncode == 0, cost["run"].stdout[-5000:]
    assert cost["written"] == ["bootstrap.json", "dns.json", "eks.json", "github-oidc.json", "network.json",
                               "platform.json"]
    assert cost["priced"].returncode == 0, cost["priced"].stderr
    result = json.loads(cost["priced"].stdout)
    items = {i["name"].split(":")[0]: i for i in result["items"]}
    assert items["EKS nodes default"]["quantity"] == 2 and "t3.large" in items["EKS nodes default"]["name"]
    assert items["EKS nodes default"]["always_on"] == pytest.approx(2 * 0.0832 * 730)
    assert items["EBS gp3 node root volumes"]["quantity"] == 100
    assert items["NAT gateways"]["quantity"] == 1
    assert any(name.startswith("EKS control plane shopfront-local") for name in items)
    assert result["not_priced"] == {}
    assert 0 < result["totals"]["up_down"] < result["totals"]["always_on"]
    assert "as of" in cost["text"] and "Daily up/down saves" in cost["text"]
    assert not list(state.rglob("*.tfplan"))


def test_check_diff_shows_the_plan_and_changes_nothing(cycle):
    runs, _ = cycle
    out = runs["check"].stdout
    assert runs["check"].returncode == 0, out[-5000:]
    # the switch to one NAT gateway per AZ plans a second EIP and NAT gateway
    assert "resource: module.vpc.aws_nat_gateway.this[1]" in out
    assert "resource: module.vpc.aws_eip.nat[1]" in out
    # ...and applies nothing: the account still has the single NAT gateway
    assert runs["nat_gateways_after_check"] == 1


def test_down_with_removal_off_fails_listing_the_leftovers_and_destroys_nothing(cycle):
    runs, _ = cycle
    out = " ".join(runs["down_refused"].stdout.split())
    planted = runs["planted"]
    assert runs["down_refused"].returncode != 0, out[-5000:]
    assert "Cluster shopfront-local: 5 resource(s) its controllers made are still there" in out
    for command in (f"aws elbv2 delete-load-balancer --load-balancer-arn {planted['alb']}",
                    f"aws elbv2 delete-target-group --target-group-arn {planted['tg']}",
                    f"aws ec2 delete-security-group --group-id {planted['alb_sg']}",
                    f"aws ec2 delete-network-interface --network-interface-id {planted['eni']}",
                    f"aws ec2 delete-volume --volume-id {planted['volume']}"):
        assert command in out
    assert "aws_audit_cluster_remove=true" in out
    # it stopped before the eks phase destroyed anything: every stack's state and the cluster are intact
    after = runs["down_refused_after"]
    assert all(after["planted"].values())
    assert after["clusters"] == ["shopfront-local"]
    assert after["states"] == sorted(f"{s}/terraform.tfstate" for s in ("bootstrap", "dns", "eks", "github-oidc",
                                                                        "network"))


def test_down_removes_the_leftovers_and_reports_each(cycle):
    runs, _ = cycle
    out = runs["down1"].stdout
    assert runs["down1"].returncode == 0, out[-5000:]
    assert "Cluster shopfront-local: removed 5 resource(s) its controllers left" in out
    for key in ("alb", "tg", "alb_sg", "eni", "volume"):
        assert runs["planted"][key] in out


def test_down_destroys_audits_and_stops_the_emulator(cycle):
    runs, state = cycle
    out = runs["down1"].stdout
    assert runs["down1"].returncode == 0, out[-5000:]
    assert "Audit: nothing tagged" in out
    assert not runs["down1_listening"]
    left = [p for p in state.rglob("*") if p.suffix in (".tfstate", ".tfplan", ".backup") or p.name == "kubeconfig"]
    assert left == []
    assert not (state / "platform").exists()


def test_second_down_changes_nothing(cycle):
    runs, _ = cycle
    assert runs["down2"].returncode == 0, runs["down2"].stdout[-5000:]
    assert recap_changed(runs["down2"].stdout) == {0}
    assert not runs["down2_listening"]


def test_report_renders_the_history_of_the_cycle(cycle):
    """`make report` (scripts/timing_report.py) on the history the runs above appended."""
    runs, state = cycle
    assert runs["down2"].returncode == 0
    done = subprocess.run([sys.executable, str(ROOT / "scripts/timing_report.py"), "--timing-dir", str(state / "timing")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.endswith(")") and (" up " in line or " down " in line)]
    # up, up, check, the refused down, down, down
    assert [" up " in r for r in rows] == [True, True, True, False, False, False], done.stdout
    chart = ET.parse(state / "timing" / "report.svg").getroot()
    bars = [e for e in chart.iter("{http://www.w3.org/2000/svg}rect") if e.get("class") == "phase"]
    assert {int(b.get("data-run")) for b in bars} == set(range(6))
    assert next(e for e in chart.iter() if e.get("id") == "budget").get("data-seconds") == "1200.0"
