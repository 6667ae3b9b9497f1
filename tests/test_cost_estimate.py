"""`make cost` (scripts/cost_estimate.py) on small hand-written plans (tests/fixtures/cost) with
round test prices, so the arithmetic can be checked by hand. The run against real plans of a
real `make up` is in tests/test_site_e2e.py (test_cost_prices_the_plans_of_the_real_environment)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT

FIXTURES = ROOT / "tests/fixtures/cost"
SCRIPT = ROOT / "scripts/cost_estimate.py"


def estimate(*args: str, plans=FIXTURES / "plans", prices=FIXTURES / "prices.yaml") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), str(plans), "--platform", str(FIXTURES / "platform.json"),
                           "--prices", str(prices), *args], capture_output=True, text=True, timeout=60)


def as_json(*args: str, **kw) -> dict:
    done = estimate("--json", *args, **kw)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def item(result: dict, prefix: str) -> dict:
    return next(i for i in result["items"] if i["name"].startswith(prefix))


def test_nodes_are_desired_size_times_hourly_price_times_730_hours():
    result = as_json()
    nodes = item(result, "EKS nodes default")
    assert nodes["quantity"] == 2
    assert nodes["always_on"] == pytest.approx(2 * 0.04 * 730)
    assert item(result, "EKS control plane")["always_on"] == pytest.approx(0.10 * 730)


def test_node_disks_come_from_the_launch_template():
    disks = item(as_json(), "EBS gp3 node root volumes")
    assert disks["quantity"] == 2 * 50
    assert disks["always_on"] == pytest.approx(100 * 0.08)


def test_nat_eip_kms_and_logs_are_read_from_the_plan_with_usage_options():
    result = as_json("--nat-gb", "200", "--log-gb", "4")
    assert item(result, "NAT gateways")["always_on"] == pytest.approx(0.05 * 730)
    assert item(result, "NAT data processed")["always_on"] == pytest.approx(200 * 0.05)
    assert item(result, "Public IPv4 (Elastic IPs)")["always_on"] == pytest.approx(0.005 * 730)
    assert item(result, "KMS keys")["always_on"] == pytest.approx(1.0)
    assert item(result, "CloudWatch Logs")["always_on"] == pytest.approx(4 * 0.5)


def test_platform_adds_one_alb_per_ingress_group_and_its_volumes():
    result = as_json("--alb-lcu", "2")
    alb = item(result, "ALBs, one per Ingress group")
    assert alb["quantity"] == 1 and alb["source"].startswith("platform")
    assert alb["always_on"] == pytest.approx(0.02 * 730)
    assert item(result, "ALB capacity")["always_on"] == pytest.approx(2 * 0.01 * 730)
    assert item(result, "Public IPv4 of the ALBs")["quantity"] == 2  # two public subnets in the plan
    assert item(result, "EBS gp3 volume prometheus")["always_on"] == pytest.approx(50 * 0.08)


def test_daily_up_down_scales_hourly_and_usage_items_and_reports_the_saving():
    result = as_json("--hours-per-day", "10", "--days-per-month", "22", "--egress-gb", "0")
    totals = result["totals"]
    assert totals["hours_up_per_month"] == 220
    for i in result["items"]:
        assert i["up_down"] == pytest.approx(i["always_on"] * 220 / 730)
    assert totals["saving"] == pytest.approx(totals["always_on"] - totals["up_down"], abs=0.011)
    assert totals["saving_percent"] == pytest.approx(100 * (1 - 220 / 730), abs=0.1)


def test_monthly_charges_do_not_shrink_with_uptime(tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(FIXTURES / "plans", plans)
    (plans / "dns.json").write_text(json.dumps({"planned_values": {"root_module": {"resources": [
        {"address": "aws_route53_zone.this", "mode": "managed", "type": "aws_route53_zone", "values": {}}]}}}))
    zone = item(as_json(plans=plans), "Route 53 hosted zones")
    assert zone["always_on"] == zone["up_down"] == pytest.approx(0.5)


def test_text_output_names_the_price_table_and_its_date():
    done = estimate()
    assert done.returncode == 0, done.stderr
    assert "as of 2000-01-02 (tests/fixtures/cost/prices.yaml)" in done.stdout
    assert "Daily up/down saves" in done.stdout
    assert "NOT PRICED" not in done.stdout


def test_unknown_instance_type_is_a_clear_error(tmp_path):
    prices = yaml.safe_load((FIXTURES / "prices.yaml").read_text())
    prices["ec2_instance_per_hour"] = {"m6i.large": 0.1}
    path = tmp_path / "prices.yaml"
    path.write_text(yaml.safe_dump(prices))
    done = estimate(prices=path)
    assert done.returncode == 2
    assert "'t3.medium'" in done.stderr and str(path) in done.stderr and "ec2_instance_per_hour" in done.stderr


def test_unknown_resource_types_are_listed_not_silently_dropped(tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(FIXTURES / "plans", plans)
    (plans / "extra.json").write_text(json.dumps({"planned_values": {"root_module": {"resources": [
        {"address": "aws_db_instance.x", "mode": "managed", "type": "aws_db_instance", "values": {}}]}}}))
    assert as_json(plans=plans)["not_priced"] == {"aws_db_instance": 1}


def test_a_missing_stack_plan_says_to_run_make_up():
    done = estimate("--require", "network,eks,dns")
    assert done.returncode == 2 and "dns" in done.stderr and "make up" in done.stderr


def test_gitops_values_add_the_services_ingress_group_and_mongodb_volume(tmp_path):
    platform = json.loads((FIXTURES / "platform.json").read_text())
    platform["gitops_values"] = str(ROOT / "gitops/values/prod")
    path = tmp_path / "platform.json"
    path.write_text(json.dumps(platform))
    done = subprocess.run([sys.executable, str(SCRIPT), str(FIXTURES / "plans"), "--platform", str(path), "--prices",
                           str(FIXTURES / "prices.yaml"), "--json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert item(result, "ALBs, one per Ingress group")["quantity"] == 2  # shop-test and shopfront-prod
    assert item(result, "EBS gp3 volume mongodb")["quantity"] == 20  # gitops/values/prod/mongodb.yaml


def test_the_pinned_price_tables_cover_every_inventory_region_and_instance_type():
    for inventory in ("local", "dev", "prod"):
        group_vars = yaml.safe_load((ROOT / f"inventories/{inventory}/group_vars/platform.yml").read_text())
        region = group_vars["platform_aws_region"]
        prices = yaml.safe_load((ROOT / f"cost/prices-{region}.yaml").read_text())
        assert prices["region"] == region and prices["as_of"] and prices["sources"]
        for group in group_vars["eks_node_groups"].values():
            assert group["instance_types"][0] in prices["ec2_instance_per_hour"], inventory
