"""Bad inventory input stops site.yml in the preflight phase, before any AWS or Terraform call,
with a message that names the variable."""

from __future__ import annotations

import pytest

from conftest import extra_vars, free_port, playbook

BAD_INPUTS = [
    ({"platform_project": ""}, "platform_project"),
    ({"platform_project": "Shop_Front"}, "platform_project"),
    ({"platform_environment": "Dev!"}, "platform_environment"),
    ({"platform_aws_region": "mars-north-1"}, "platform_aws_region"),
    ({"github_oidc_repository": "acme"}, "github_oidc_repository"),
    ({"github_oidc_repository": "acme/shop front"}, "github_oidc_repository"),
    ({"github_oidc_apply_subjects": ["ref:refs/heads/*"]}, "github_oidc_apply_subjects"),
    ({"network_vpc_cidr": "10.20.0.0/33"}, "network_vpc_cidr"),
    ({"network_vpc_cidr": "10.20.0.1/16"}, "network_vpc_cidr"),
    ({"network_vpc_cidr": "10.0.0.0/8"}, "network_vpc_cidr"),
    ({"network_public_subnets": ["10.20.0.0/24", "10.20.0.128/25"]}, "network_public_subnets"),
    ({"network_private_subnets": ["10.20.16.0/20", "10.20.1.0/24"]}, "network_public_subnets"),
    ({"network_private_subnets": ["10.20.16.0/20", "10.99.0.0/20"]}, "network_private_subnets"),
    ({"network_private_subnets": ["10.20.16.0/20"]}, "network_private_subnets"),
    ({"network_public_subnets": ["10.20.0.0/24", "nonsense"]}, "network_public_subnets"),
    ({"dns_domain_name": "Shop Front"}, "dns_domain_name"),
    ({"dns_host_name": "dev.other.org"}, "dns_host_name"),
    ({"eks_kubernetes_version": "1.25"}, "eks_kubernetes_version"),
    ({"eks_node_groups": {"default": {"min_size": 5, "desired_size": 2, "max_size": 4}}}, "eks_node_groups"),
    ({"eks_public_access_cidrs": ["0.0.0.0/0"]}, "eks_public_access_cidrs"),
    ({"eks_admin_role_arns": ["arn:aws:iam::111111111111:user/bob"]}, "eks_admin_role_arns"),
    ({"gitops_repo_url": "github.com/acme/shopfront"}, "gitops_repo_url"),
    ({"gitops_root_path": "../elsewhere"}, "gitops_root_path"),
    ({"gitops_namespaces": ["Shop_Dev"]}, "gitops_namespaces"),
    ({"platform_kind_cluster": "sometimes"}, "platform_kind_cluster"),
]


@pytest.mark.parametrize("override,variable", BAD_INPUTS, ids=[f"{v}={o[v]!r}" if v in o else v for o, v in BAD_INPUTS])
def test_bad_input_stops_before_any_cloud_call(tmp_path, override, variable):
    # A loopback port nobody listens on: had the run got past preflight, the aws phase would
    # have started an emulator there and written its pid file into the state folder.
    endpoint = f"http://127.0.0.1:{free_port()}"
    result = playbook("site.yml", *extra_vars(platform_state_dir=str(tmp_path / "state"), **override),
                      env={"PLATFORM_AWS_ENDPOINT_URL": endpoint, "PLATFORM_TIMING_DIR": str(tmp_path)})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert variable in output
    assert "PLAY [aws" not in output
    assert not (tmp_path / "state").exists()


def test_good_inventories_pass_preflight(tmp_path):
    for inventory in ("inventories/local", "inventories/dev", "inventories/prod"):
        state = tmp_path / inventory.rsplit("/", 1)[-1]
        result = playbook("-i", inventory, "playbooks/preflight.yml", *extra_vars(platform_state_dir=str(state)),
                          env={"PLATFORM_TIMING_DIR": str(tmp_path)})
        assert result.returncode == 0, result.stdout
        assert (state / "run.lock").exists()  # past validation, the run took the environment's lock
