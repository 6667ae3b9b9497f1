# Stack-level tests: the common-variable validations (identical in every
# stack's variables.tf) plus AZ auto-selection and EKS subnet tagging.

mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = {
      names = ["us-east-1a", "us-east-1b", "us-east-1c"]
    }
  }

  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }

  mock_data "aws_region" {
    defaults = {
      name = "us-east-1"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc-flow-logs/shopfront-local"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/shopfront-local-vpc-flow-logs"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    }
  }
}

variables {
  project     = "shopfront"
  environment = "local"
  region      = "us-east-1"
}

run "defaults_pick_first_two_azs_and_tag_subnets" {
  command = plan

  assert {
    condition     = tolist(local.azs) == tolist(["us-east-1a", "us-east-1b"])
    error_message = "With azs = [] the first two available AZs must be used."
  }

  assert {
    condition     = local.cluster_name == "shopfront-local"
    error_message = "cluster_name must default to <project>-<environment>."
  }

  assert {
    condition     = module.vpc.vpc_cidr_block == "10.20.0.0/16"
    error_message = "Default VPC CIDR must be 10.20.0.0/16."
  }
}

run "explicit_azs_and_cluster_tags" {
  command = apply

  variables {
    azs          = ["us-east-1b", "us-east-1c"]
    cluster_name = "shopfront-eks"
  }

  assert {
    condition     = tolist(output.azs) == tolist(["us-east-1b", "us-east-1c"])
    error_message = "Explicit azs must be used as given."
  }

  assert {
    condition     = length(output.nat_gateway_ids) == 1 && length(output.private_route_table_ids) == 2
    error_message = "Default network has one NAT gateway and two private route tables."
  }

  assert {
    condition     = output.cluster_name == "shopfront-eks"
    error_message = "cluster_name must be honoured."
  }

  assert {
    condition = tomap(local.public_subnet_tags) == tomap({
      "kubernetes.io/cluster/shopfront-eks" = "shared"
      "kubernetes.io/role/elb"              = "1"
    })
    error_message = "Public subnets must carry the shared cluster tag and kubernetes.io/role/elb = 1."
  }

  assert {
    condition = tomap(local.private_subnet_tags) == tomap({
      "kubernetes.io/cluster/shopfront-eks" = "shared"
      "kubernetes.io/role/internal-elb"     = "1"
    })
    error_message = "Private subnets must carry the shared cluster tag and kubernetes.io/role/internal-elb = 1."
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

run "rejects_bad_vpc_cidr" {
  command = plan
  variables {
    vpc_cidr = "10.20.0.0/8"
  }
  expect_failures = [var.vpc_cidr]
}

run "rejects_bad_cluster_name" {
  command = plan
  variables {
    cluster_name = "-bad"
  }
  expect_failures = [var.cluster_name]
}
