#!/usr/bin/env python3
"""Estimate the monthly AWS cost of one environment (`make cost`).

Inputs:
  * the environment's Terraform plans as JSON (`terraform show -json PLANFILE`), one file per
    stack named <stack>.json: every resource Terraform will hold after the plan (planned_values,
    root and child modules) is priced from the pinned price table;
  * what the platform creates outside Terraform (platform.json, written by playbooks/cost.yml
    from the inventory): the ALBs the AWS Load Balancer Controller makes, one per Ingress group,
    and the EBS volumes behind the releases' PersistentVolumeClaims;
  * usage that no plan can know (GB through NAT, LCUs, log GB, internet egress): options with
    documented defaults, printed as assumptions.

It prints one line per item with the always-on monthly cost (730 h) and the cost when the
environment is brought up and down daily (`make up` in the morning, `make down` at night:
--hours-per-day x --days-per-month), and what that saves. --json prints the same as JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

# Resource types that carry no charge of their own (or one too small to show, such as a
# state bucket of a few KB), so the estimate can tell them from types it does not know.
FREE_TYPES = {
    "aws_acm_certificate", "aws_acm_certificate_validation", "aws_cloudwatch_log_group",
    "aws_default_security_group", "aws_eip_association", "aws_eks_access_entry",
    "aws_eks_access_policy_association", "aws_eks_addon", "aws_eks_pod_identity_association",
    "aws_flow_log", "aws_iam_openid_connect_provider", "aws_iam_policy", "aws_iam_role",
    "aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_internet_gateway", "aws_kms_alias",
    "aws_launch_template", "aws_route", "aws_route53_record", "aws_route_table",
    "aws_route_table_association", "aws_s3_bucket", "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_ownership_controls", "aws_s3_bucket_policy", "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_versioning",
    "aws_security_group", "aws_security_group_rule", "aws_subnet", "aws_vpc",
    "aws_vpc_security_group_egress_rule", "aws_vpc_security_group_ingress_rule",
}
SIZE_UNITS = {"": 1e-9, "Ki": 2**10 / 1e9, "Mi": 2**20 / 1e9, "Gi": 2**30 / 1e9, "Ti": 2**40 / 1e9,
              "K": 1e-6, "M": 1e-3, "G": 1.0, "T": 1e3}


class CostError(Exception):
    """Input the estimate cannot price; the message says what to fix."""


@dataclass
class Item:
    name: str
    source: str  # plan:<stack> <address>, platform:<what>, or usage
    quantity: float
    unit: str
    unit_price: float
    # hourly: quantity x price per hour of uptime; monthly: a fixed charge per month;
    # usage: a monthly always-on figure that scales with uptime.
    billing: str
    always_on: float = 0.0
    up_down: float = 0.0
    notes: list[str] = field(default_factory=list)


@dataclass
class Usage:
    nat_gb: float
    alb_lcu: float
    log_gb: float
    egress_gb: float


def load_prices(path: Path) -> dict:
    try:
        prices = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise CostError(f"no price table {path}: add one (copy cost/prices-us-east-1.yaml) for that region") from None
    for key in ("as_of", "region", "hours_per_month", "ec2_instance_per_hour"):
        if key not in prices:
            raise CostError(f"{path}: missing {key}")
    return prices


def price(prices: dict, path: Path, *keys: str) -> float:
    node = prices
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            raise CostError(f"no price {'.'.join(keys)} in {path}")
        node = node[key]
    return float(node)


def walk_resources(module: dict):
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from walk_resources(child)


def plan_resources(plans: dict[str, dict]) -> list[tuple[str, dict]]:
    """(stack, resource) for every managed resource the plans leave in place."""
    found = []
    for stack, plan in sorted(plans.items()):
        root = plan.get("planned_values", {}).get("root_module", {})
        found += [(stack, r) for r in walk_resources(root) if r.get("mode", "managed") == "managed"]
    return found


def gb(size: str | int | float) -> float:
    """A Kubernetes quantity (5Gi, 500Mi, 20G) in GB as EBS bills it (GiB, rounded up)."""
    match = re.fullmatch(r"\s*([0-9.]+)\s*([KMGT]i?)?\s*", str(size))
    if not match:
        raise CostError(f"cannot read the volume size {size!r}")
    value = float(match.group(1)) * SIZE_UNITS[match.group(2) or ""] / SIZE_UNITS["Gi"]
    return float(int(value) if value == int(value) else int(value) + 1)


def node_disk_gb(group: dict, templates: list[dict]) -> tuple[float, str]:
    """Root volume size of a node group's nodes and its volume type."""
    ref = (group.get("launch_template") or [{}])[0]
    for template in templates:
        values = template["values"]
        if (ref.get("id") and ref.get("id") == values.get("id")) or \
                (ref.get("name") and ref.get("name") == values.get("name")):
            for mapping in values.get("block_device_mappings") or []:
                ebs = (mapping.get("ebs") or [{}])[0]
                if ebs.get("volume_size"):
                    return float(ebs["volume_size"]), ebs.get("volume_type") or "gp3"
    return float(group.get("disk_size") or 20), "gp3"  # EKS default without a launch template


def merge(base: dict, over: dict) -> dict:
    merged = dict(base)
    for key, value in (over or {}).items():
        nested = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = merge(merged[key], value) if nested else value
    return merged


def read_yaml(path: Path) -> dict:
    return (yaml.safe_load(path.read_text()) or {}) if path.exists() else {}


def platform_from_gitops(platform: dict) -> dict:
    """ALB groups and volumes of what Argo CD deploys: the environment's gitops values over the
    base values over the chart defaults (gitops/README.md). The platform's own Ingresses
    (Argo CD, Grafana) share platform_alb_group."""
    groups = [platform["platform_alb_group"]] if platform.get("platform_alb_group") else []
    volumes = list(platform.get("volumes", []))
    folder = Path(platform.get("gitops_values", ""))
    if platform.get("gitops_values") and not folder.is_dir():
        raise CostError(f"no gitops values folder {folder}")
    for file in sorted(folder.glob("*.yaml")) if platform.get("gitops_values") else []:
        charts = folder.parent.parent / "charts"
        chart = charts / file.stem if (charts / file.stem).is_dir() else charts / "service"
        values = merge(merge(read_yaml(chart / "values.yaml"), read_yaml(folder.parent / "base" / file.name)),
                       read_yaml(file))
        ingress = values.get("ingress") or {}
        if ingress.get("enabled"):
            groups.append(ingress.get("groupName") or f"{file.stem} (no group: an ALB of its own)")
        persistence = values.get("persistence") or {}
        if persistence.get("size") and persistence.get("enabled", True):
            volumes.append({"name": file.stem, "source": f"gitops {file.relative_to(folder.parent.parent)}",
                            "size": persistence["size"], "replicas": values.get("replicaCount", 1),
                            "storage_class": persistence.get("storageClass") or ""})
    return {**platform, "alb_groups": sorted(set(groups) | set(platform.get("alb_groups", []))), "volumes": volumes}


def estimate(plans: dict[str, dict], platform: dict, prices: dict, prices_path: Path, usage: Usage) -> dict:
    items: list[Item] = []
    not_priced: dict[str, int] = {}
    resources = plan_resources(plans)
    by_type: dict[str, list[tuple[str, dict]]] = {}
    for stack, resource in resources:
        by_type.setdefault(resource["type"], []).append((stack, resource))
    templates = [r for _, r in by_type.get("aws_launch_template", [])]

    for stack, r in by_type.get("aws_eks_cluster", []):
        v = r["values"]
        support = ((v.get("upgrade_policy") or [{}])[0] or {}).get("support_type") or "STANDARD"
        key = "cluster_extended_support_per_hour" if support == "EXTENDED" else "cluster_standard_support_per_hour"
        items.append(Item(f"EKS control plane {v.get('name', '')} ({v.get('version', '?')}, {support.lower()} support)",
                          f"plan:{stack} {r['address']}", 1, "cluster-hour", price(prices, prices_path, "eks", key),
                          "hourly"))

    gp3 = price(prices, prices_path, "ebs", "gp3_per_gb_month")
    hours = float(prices["hours_per_month"])
    for stack, r in by_type.get("aws_eks_node_group", []):
        v = r["values"]
        scaling = (v.get("scaling_config") or [{}])[0]
        count = int(scaling.get("desired_size") or 0)
        types = v.get("instance_types") or []
        if not types:
            raise CostError(f"node group {r['address']} (stack {stack}) names no instance type")
        kind = types[0]
        if kind not in prices["ec2_instance_per_hour"]:
            raise CostError(f"no price for EC2 instance type {kind!r} (node group {v.get('node_group_name')}, "
                            f"stack {stack}) in {prices_path}: add it under ec2_instance_per_hour")
        notes = [f"desired {count} (min {scaling.get('min_size')}, max {scaling.get('max_size')})"]
        if len(types) > 1:
            notes.append(f"priced as {kind}, the first of {', '.join(types)}")
        if v.get("capacity_type") == "SPOT":
            notes.append("SPOT capacity priced at on-demand (an upper bound)")
        items.append(Item(f"EKS nodes {v.get('node_group_name', '')}: {count} x {kind}", f"plan:{stack} {r['address']}",
                          count, "instance-hour", float(prices["ec2_instance_per_hour"][kind]), "hourly", notes=notes))
        disk, volume_type = node_disk_gb(v, templates)
        if volume_type != "gp3":
            raise CostError(f"node group {r['address']}: volume type {volume_type} has no price in {prices_path}")
        items.append(Item(f"EBS gp3 node root volumes: {count} x {disk:g} GB", f"plan:{stack} {r['address']}",
                          count * disk, "GB-month", gp3, "hourly"))

    nat = by_type.get("aws_nat_gateway", [])
    if nat:
        items.append(Item(f"NAT gateways: {len(nat)}", f"plan:{nat[0][0]} aws_nat_gateway",
                          len(nat), "gateway-hour", price(prices, prices_path, "vpc", "nat_gateway_per_hour"),
                          "hourly"))
        items.append(Item("NAT data processed", "usage --nat-gb", usage.nat_gb, "GB",
                          price(prices, prices_path, "vpc", "nat_gateway_per_gb_processed"), "usage"))
    ipv4 = price(prices, prices_path, "vpc", "public_ipv4_per_hour")
    eips = by_type.get("aws_eip", [])
    if eips:
        items.append(Item(f"Public IPv4 (Elastic IPs): {len(eips)}", f"plan:{eips[0][0]} aws_eip", len(eips),
                          "address-hour", ipv4, "hourly"))

    for stack, r in by_type.get("aws_vpc_endpoint", []):
        if (r["values"].get("vpc_endpoint_type") or "Gateway") != "Gateway":
            raise CostError(f"{r['address']} (stack {stack}): interface endpoints have no price in {prices_path}")

    for stack, r in by_type.get("aws_dynamodb_table", []):
        if (r["values"].get("billing_mode") or "PROVISIONED") != "PAY_PER_REQUEST":
            raise CostError(f"{r['address']} (stack {stack}): provisioned DynamoDB capacity has no price "
                            f"in {prices_path}")

    kms = by_type.get("aws_kms_key", [])
    if kms:
        stacks = sorted({s for s, _ in kms})
        items.append(Item(f"KMS keys: {len(kms)} ({', '.join(stacks)})", "plan:" + ",".join(stacks) + " aws_kms_key",
                          len(kms), "key-month", price(prices, prices_path, "kms", "key_per_month"), "hourly"))

    zones = by_type.get("aws_route53_zone", [])
    if zones:
        items.append(Item(f"Route 53 hosted zones: {len(zones)}", f"plan:{zones[0][0]} aws_route53_zone", len(zones),
                          "zone-month", price(prices, prices_path, "route53", "hosted_zone_per_month"), "monthly",
                          notes=["charged per month whatever the uptime"]))

    logs = by_type.get("aws_cloudwatch_log_group", [])
    if logs:
        items.append(Item(f"CloudWatch Logs ingestion ({len(logs)} log groups)", "usage --log-gb", usage.log_gb, "GB",
                          price(prices, prices_path, "cloudwatch", "logs_ingest_per_gb"), "usage"))

    # What the platform phase and Argo CD create outside Terraform.
    public_subnets = [r for _, r in by_type.get("aws_subnet", []) if r["values"].get("map_public_ip_on_launch")]
    groups = sorted(set(platform.get("alb_groups", [])))
    if groups:
        azs = len(public_subnets) or 2
        items.append(Item(f"ALBs, one per Ingress group: {', '.join(groups)}", "platform: aws-load-balancer-controller",
                          len(groups), "ALB-hour", price(prices, prices_path, "elb", "alb_per_hour"), "hourly"))
        items.append(Item(f"ALB capacity: {usage.alb_lcu:g} LCU per ALB", "usage --alb-lcu",
                          usage.alb_lcu * len(groups), "LCU-hour",
                          price(prices, prices_path, "elb", "alb_per_lcu_hour"), "hourly"))
        items.append(Item(f"Public IPv4 of the ALBs: {azs} per ALB (one per public subnet)",
                          "platform: aws-load-balancer-controller", azs * len(groups), "address-hour", ipv4, "hourly"))
    for volume in platform.get("volumes", []):
        size = gb(volume["size"]) * int(volume.get("replicas", 1))
        items.append(Item(f"EBS gp3 volume {volume['name']}: {volume.get('replicas', 1)} x {gb(volume['size']):g} GB",
                          f"platform: {volume.get('source', 'PersistentVolumeClaim')}", size, "GB-month", gp3, "hourly",
                          notes=[f"StorageClass {volume['storage_class']} on this inventory"]
                          if volume.get("storage_class") not in (None, "", "gp3") else []))

    if usage.egress_gb:
        items.append(Item("Data transfer out to the internet", "usage --egress-gb", usage.egress_gb, "GB",
                          price(prices, prices_path, "data_transfer", "internet_out_per_gb"), "usage"))

    for rtype, found in sorted(by_type.items()):
        priced = {"aws_eks_cluster", "aws_eks_node_group", "aws_nat_gateway", "aws_eip", "aws_kms_key",
                  "aws_route53_zone", "aws_vpc_endpoint", "aws_dynamodb_table"}
        if rtype not in priced and rtype not in FREE_TYPES:
            not_priced[rtype] = len(found)
    return {"items": items, "not_priced": not_priced, "resources": len(resources), "hours_per_month": hours}


def totals(result: dict, hours_per_day: float, days_per_month: float) -> dict:
    hours = result["hours_per_month"]
    up_hours = min(hours, hours_per_day * days_per_month)
    for item in result["items"]:
        if item.billing == "hourly":
            per_hour = item.unit_price / hours if item.unit.endswith("-month") else item.unit_price
            item.always_on = item.quantity * per_hour * hours
            item.up_down = item.quantity * per_hour * up_hours
        elif item.billing == "monthly":
            item.always_on = item.up_down = item.quantity * item.unit_price
        else:
            item.always_on = item.quantity * item.unit_price
            item.up_down = item.always_on * up_hours / hours
    always_on = sum(i.always_on for i in result["items"])
    up_down = sum(i.up_down for i in result["items"])
    return {"always_on": round(always_on, 2), "up_down": round(up_down, 2), "saving": round(always_on - up_down, 2),
            "saving_percent": round(100 * (always_on - up_down) / always_on, 1) if always_on else 0.0,
            "hours_up_per_month": up_hours, "hours_per_day": hours_per_day, "days_per_month": days_per_month}


def render(env: str, prices: dict, prices_path: Path, result: dict, sums: dict, usage: Usage) -> str:
    rel = prices_path.relative_to(ROOT) if prices_path.is_relative_to(ROOT) else prices_path
    lines = [f"Monthly AWS cost of environment {env} ({prices['region']}, {prices['currency']})",
             f"Prices: on-demand list prices as of {prices['as_of']} ({rel})",
             f"Always-on: {result['hours_per_month']:g} h/month. Daily up/down: {sums['hours_per_day']:g} h/day x "
             f"{sums['days_per_month']:g} days = {sums['hours_up_per_month']:g} h/month.", ""]
    header = f"{'item':<62} {'from':<11} {'quantity':>9} {'unit price':>24} {'always-on':>10} {'up/down':>9}"
    lines += [header, "-" * len(header)]
    for i in result["items"]:
        origin = i.source.split()[0].removeprefix("plan:").rstrip(":")
        unit = f"{i.unit_price:g}/{i.unit}"
        name = f"{i.name} ({i.unit} a month)" if i.billing == "usage" else i.name
        lines.append(f"{name[:62]:<62} {origin[:11]:<11} {i.quantity:>9g} {unit:>24} {i.always_on:>10.2f} "
                     f"{i.up_down:>9.2f}")
    lines += ["-" * len(header),
              f"{'Total per month':<109} {sums['always_on']:>10.2f} {sums['up_down']:>9.2f}", "",
              f"Daily up/down saves {sums['saving']:.2f} {prices['currency']} a month ({sums['saving_percent']:g}%) "
              "compared with always-on.", "",
              "from: <stack> = that stack's Terraform plan; platform = made outside Terraform by the platform "
              "(inventory, role defaults, gitops values);",
              "      usage = an assumption, per month always-on and scaled by uptime for up/down (options):",
              f"  --nat-gb {usage.nat_gb:g}  --alb-lcu {usage.alb_lcu:g}  --log-gb {usage.log_gb:g}  "
              f"--egress-gb {usage.egress_gb:g}"]
    notes = [f"  {i.name}: {'; '.join(i.notes)}" for i in result["items"] if i.notes]
    if notes:
        lines += ["Notes:", *notes]
    lines.append(f"{result['resources']} planned resources read; the others carry no charge of their own "
                 "(IAM, subnets, routes, certificates, a state bucket of a few KB, a pay-per-request lock table).")
    if result["not_priced"]:
        lines.append("NOT PRICED (unknown to scripts/cost_estimate.py, check them): " +
                     ", ".join(f"{k} x{n}" for k, n in result["not_priced"].items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("plans", nargs="+", type=Path,
                        help="plan JSON files (terraform show -json), or folders of <stack>.json")
    parser.add_argument("--platform", type=Path, help="platform.json from playbooks/cost.yml (ALB groups, volumes)")
    parser.add_argument("--prices", type=Path, help="price table; None: cost/prices-<region>.yaml")
    parser.add_argument("--region", default="us-east-1", help="region, when no platform.json names it")
    parser.add_argument("--environment", default="", help="environment name, when no platform.json names it")
    parser.add_argument("--require", default="", help="comma-separated stacks whose plan must be present")
    parser.add_argument("--hours-per-day", type=float, default=10.0, help="hours up a day for up/down")
    parser.add_argument("--days-per-month", type=float, default=22.0, help="days up a month for up/down")
    parser.add_argument("--nat-gb", type=float, default=100.0, help="GB through the NAT gateways a month")
    parser.add_argument("--alb-lcu", type=float, default=1.0, help="average LCUs used per ALB")
    parser.add_argument("--log-gb", type=float, default=5.0, help="GB of CloudWatch Logs ingested a month")
    parser.add_argument("--egress-gb", type=float, default=10.0, help="GB out to the internet a month")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    try:
        plans: dict[str, dict] = {}
        for path in args.plans:
            files = sorted(path.glob("*.json")) if path.is_dir() else [path]
            for file in files:
                if file.name != "platform.json":
                    plans[file.stem] = json.loads(file.read_text())
        missing = [s for s in args.require.split(",") if s and s not in plans]
        if missing:
            raise CostError(f"no plan for stack(s) {', '.join(missing)}: the environment must be up (make up) "
                            "for its plans to be read")
        platform = platform_from_gitops(json.loads(args.platform.read_text())) if args.platform else {}
        region = platform.get("region") or args.region
        prices_path = (args.prices or ROOT / "cost" / f"prices-{region}.yaml").resolve()
        prices = load_prices(prices_path)
        if prices["region"] != region:
            raise CostError(f"{prices_path} holds prices of {prices['region']}, the environment is in {region}")
        usage = Usage(args.nat_gb, args.alb_lcu, args.log_gb, args.egress_gb)
        result = estimate(plans, platform, prices, prices_path, usage)
        sums = totals(result, args.hours_per_day, args.days_per_month)
    except CostError as err:
        print(f"cost_estimate: {err}", file=sys.stderr)
        return 2
    env = platform.get("environment") or args.environment or "?"
    if args.json:
        print(json.dumps({"environment": env, "region": region, "currency": prices["currency"],
                          "prices": {"file": str(prices_path), "as_of": prices["as_of"]},
                          "usage": asdict(usage), "items": [asdict(i) for i in result["items"]],
                          "not_priced": result["not_priced"], "totals": sums}, indent=2, default=str))
    else:
        print(render(env, prices, prices_path, result, sums, usage))
    return 0


if __name__ == "__main__":
    sys.exit(main())
