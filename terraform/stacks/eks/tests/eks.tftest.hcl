# Stack-level tests: the common-variable validations (identical in every
# stack's variables.tf), the remote-state wiring (network subnets, dns zone)
# and the defaults the Ansible side relies on.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
      arn        = "arn:aws:sts::123456789012:assumed-role/shopfront-local-github-apply/gha-run-1"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_data "aws_region" {
    defaults = {
      name = "us-east-1"
    }
  }

  mock_data "aws_iam_session_context" {
    defaults = {
      issuer_arn = "arn:aws:iam::123456789012:role/shopfront-local-github-apply"
    }
  }

  mock_resource "aws_eks_cluster" {
    defaults = {
      arn = "arn:aws:eks:us-east-1:123456789012:cluster/shopfront-local"
      identity = [{
        oidc = [{
          issuer = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
        }]
      }]
      certificate_authority = [{
        data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"
      }]
    }
  }

  mock_resource "aws_iam_openid_connect_provider" {
    defaults = {
      arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/shopfront-local-mock"
    }
  }

  mock_resource "aws_iam_policy" {
    defaults = {
      arn = "arn:aws:iam::123456789012:policy/shopfront-local-aws-load-balancer-controller"
    }
  }

  mock_resource "aws_launch_template" {
    defaults = {
      id             = "lt-0123456789abcdef0"
      latest_version = 1
    }
  }
}

override_data {
  target = data.terraform_remote_state.network
  values = {
    outputs = {
      vpc_id             = "vpc-0123456789abcdef0"
      private_subnet_ids = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
    }
  }
}

override_data {
  target = data.terraform_remote_state.dns
  values = {
    outputs = {
      zone_arn = "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"
    }
  }
}

variables {
  project             = "shopfront"
  environment         = "local"
  region              = "us-east-1"
  state_bucket        = "shopfront-tfstate"
  public_access_cidrs = ["203.0.113.0/24"]
}

run "defaults_wire_remote_state_into_the_module" {
  command = apply

  assert {
    condition     = output.cluster_name == "shopfront-local" && output.cluster_version == "1.33"
    error_message = "cluster_name must default to <project>-<environment> and the version to 1.33."
  }

  assert {
    condition     = data.terraform_remote_state.network.config.key == "network/terraform.tfstate" && data.terraform_remote_state.dns.config.key == "dns/terraform.tfstate" && data.terraform_remote_state.network.config.bucket == "shopfront-tfstate" && data.terraform_remote_state.dns.config.region == "us-east-1"
    error_message = "Remote states must be read from <state_bucket>/<stack>/terraform.tfstate in var.region."
  }

  assert {
    condition     = tolist(output.private_subnet_ids) == tolist(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]) && output.vpc_id == "vpc-0123456789abcdef0" && output.region == "us-east-1"
    error_message = "vpc_id, private_subnet_ids and region must be passed through."
  }

  assert {
    condition     = toset(keys(output.node_group_names)) == toset(["default"]) && length(module.eks.addon_versions) == 5
    error_message = "One default node group and five add-ons on real AWS."
  }

  assert {
    condition     = local.zone_arn == "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"
    error_message = "ExternalDNS must be scoped to the dns stack's zone_arn."
  }

  assert {
    condition     = toset(keys(output.irsa_role_arns)) == toset(["cluster_autoscaler", "aws_load_balancer_controller", "ebs_csi_driver", "external_dns"])
    error_message = "irsa_role_arns must be keyed by the four controllers the Ansible phase installs."
  }

  assert {
    condition     = output.service_accounts.aws_load_balancer_controller == { namespace = "kube-system", name = "aws-load-balancer-controller" }
    error_message = "service_accounts must expose the default namespaces/names."
  }

  assert {
    condition     = output.oidc_issuer_url == "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" && output.cluster_kms_key_arn != null && output.node_role_arn != null
    error_message = "Cluster identity outputs must be set."
  }
}

run "emulated_and_custom_cluster_name" {
  command = apply

  variables {
    emulated_aws = true
    cluster_name = "shopfront-eks"
    node_groups = {
      apps = { min_size = 1, desired_size = 1, max_size = 3 }
    }
  }

  assert {
    condition     = output.cluster_name == "shopfront-eks" && output.node_group_names == tomap({ apps = "apps" })
    error_message = "cluster_name and node_groups must be passed to the module."
  }

  assert {
    condition     = length(output.addon_versions) == 0
    error_message = "No add-ons when emulated_aws = true."
  }
}

run "rejects_bad_project" {
  command = plan
  variables {
    project = "Shop_Front"
  }
  expect_failures = [var.project]
}

run "rejects_project_ending_with_hyphen" {
  command = plan
  variables {
    project = "shopfront-"
  }
  expect_failures = [var.project]
}

run "rejects_bad_environment" {
  command = plan
  variables {
    environment = "prod-eu"
  }
  expect_failures = [var.environment]
}

run "rejects_unsupported_region" {
  command = plan
  variables {
    region = "us-gov-west-1"
  }
  expect_failures = [var.region]
}

run "rejects_bad_cluster_name" {
  command = plan
  variables {
    cluster_name = "-bad"
  }
  expect_failures = [var.cluster_name]
}

run "rejects_bad_state_bucket" {
  command = plan
  variables {
    state_bucket = "Not_A_Bucket"
  }
  expect_failures = [var.state_bucket]
}
