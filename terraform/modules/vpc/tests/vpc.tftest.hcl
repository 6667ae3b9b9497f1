mock_provider "aws" {
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

  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
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
}

variables {
  name            = "shopfront-local"
  cidr            = "10.20.0.0/16"
  azs             = ["us-east-1a", "us-east-1b"]
  public_subnets  = ["10.20.0.0/24", "10.20.1.0/24"]
  private_subnets = ["10.20.16.0/20", "10.20.32.0/20"]
  public_subnet_tags = {
    "kubernetes.io/role/elb" = "1"
  }
  private_subnet_tags = {
    "kubernetes.io/role/internal-elb" = "1"
  }
  tags = {
    Team = "platform"
  }
}

run "single_nat_layout" {
  command = apply

  assert {
    condition     = aws_vpc.this.cidr_block == "10.20.0.0/16" && aws_vpc.this.enable_dns_support && aws_vpc.this.enable_dns_hostnames
    error_message = "VPC must use the given CIDR with DNS support and hostnames."
  }

  assert {
    condition     = tolist(aws_subnet.public[*].cidr_block) == tolist(["10.20.0.0/24", "10.20.1.0/24"]) && tolist(aws_subnet.private[*].cidr_block) == tolist(["10.20.16.0/20", "10.20.32.0/20"])
    error_message = "Subnet CIDRs must follow the given lists in order."
  }

  assert {
    condition     = tolist(aws_subnet.public[*].availability_zone) == tolist(["us-east-1a", "us-east-1b"]) && tolist(aws_subnet.private[*].availability_zone) == tolist(["us-east-1a", "us-east-1b"])
    error_message = "Subnet i must be placed in azs[i]."
  }

  assert {
    condition     = alltrue([for s in aws_subnet.public : s.map_public_ip_on_launch == false])
    error_message = "Public subnets must not auto-assign public IPs."
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1 && length(aws_eip.nat) == 1
    error_message = "Exactly one NAT gateway and EIP by default."
  }

  assert {
    condition     = aws_nat_gateway.this[0].subnet_id == aws_subnet.public[0].id && aws_nat_gateway.this[0].allocation_id == aws_eip.nat[0].id
    error_message = "The single NAT gateway must sit in the first public subnet with its EIP."
  }

  assert {
    condition     = length(aws_route.private_nat) == 2 && alltrue([for r in aws_route.private_nat : r.nat_gateway_id == aws_nat_gateway.this[0].id && r.destination_cidr_block == "0.0.0.0/0"])
    error_message = "Every private route table must default-route to the single NAT gateway."
  }

  assert {
    condition     = aws_route.private_nat[*].route_table_id == aws_route_table.private[*].id
    error_message = "NAT routes must be in the private route tables (one per AZ)."
  }

  assert {
    condition     = aws_route.public_internet.route_table_id == aws_route_table.public.id && aws_route.public_internet.gateway_id == aws_internet_gateway.this.id && aws_route.public_internet.destination_cidr_block == "0.0.0.0/0"
    error_message = "The public route table must default-route to the internet gateway."
  }

  assert {
    condition     = alltrue([for a in aws_route_table_association.public : a.route_table_id == aws_route_table.public.id]) && aws_route_table_association.public[*].subnet_id == aws_subnet.public[*].id
    error_message = "All public subnets must use the public route table."
  }

  assert {
    condition     = aws_route_table_association.private[*].route_table_id == aws_route_table.private[*].id && aws_route_table_association.private[*].subnet_id == aws_subnet.private[*].id
    error_message = "Private subnet i must use private route table i."
  }

  assert {
    condition     = toset(aws_vpc_endpoint.s3[0].route_table_ids) == toset(aws_route_table.private[*].id)
    error_message = "S3 endpoint must be associated with exactly the private route tables."
  }

  assert {
    condition     = !contains(tolist(aws_vpc_endpoint.s3[0].route_table_ids), aws_route_table.public.id)
    error_message = "S3 endpoint must not be associated with the public route table."
  }

  assert {
    condition     = aws_vpc_endpoint.s3[0].service_name == "com.amazonaws.us-east-1.s3" && aws_vpc_endpoint.s3[0].vpc_endpoint_type == "Gateway"
    error_message = "S3 endpoint must be the regional S3 gateway endpoint."
  }

  assert {
    condition     = aws_subnet.public[0].tags["Name"] == "shopfront-local-public-us-east-1a" && aws_subnet.private[1].tags["Name"] == "shopfront-local-private-us-east-1b"
    error_message = "Subnet Name tags must be <name>-<tier>-<az>."
  }

  assert {
    condition     = alltrue([for s in aws_subnet.public : s.tags["kubernetes.io/role/elb"] == "1" && !contains(keys(s.tags), "kubernetes.io/role/internal-elb")])
    error_message = "public_subnet_tags must land on public subnets only."
  }

  assert {
    condition     = alltrue([for s in aws_subnet.private : s.tags["kubernetes.io/role/internal-elb"] == "1" && !contains(keys(s.tags), "kubernetes.io/role/elb")])
    error_message = "private_subnet_tags must land on private subnets only."
  }

  assert {
    condition = alltrue([
      for t in concat([aws_vpc.this.tags, aws_internet_gateway.this.tags, aws_route_table.public.tags, aws_nat_gateway.this[0].tags], aws_subnet.public[*].tags, aws_subnet.private[*].tags, aws_route_table.private[*].tags) :
      t["Team"] == "platform"
    ])
    error_message = "var.tags must be merged onto every resource."
  }

  assert {
    condition     = length(aws_default_security_group.this.ingress) == 0 && length(aws_default_security_group.this.egress) == 0
    error_message = "The default security group must have no rules."
  }

  assert {
    condition     = aws_flow_log.this[0].traffic_type == "ALL" && aws_flow_log.this[0].log_destination == aws_cloudwatch_log_group.flow_logs[0].arn && aws_flow_log.this[0].vpc_id == aws_vpc.this.id
    error_message = "Flow logs must capture ALL traffic of the VPC into the log group."
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_logs[0].kms_key_id == aws_kms_key.flow_logs[0].arn && aws_cloudwatch_log_group.flow_logs[0].retention_in_days == 365 && aws_kms_key.flow_logs[0].enable_key_rotation
    error_message = "Flow log group must be KMS-encrypted (rotating CMK) with 365-day retention."
  }

  assert {
    condition     = length(output.nat_gateway_ids) == 1 && output.public_route_table_ids == [aws_route_table.public.id] && output.s3_endpoint_id == aws_vpc_endpoint.s3[0].id
    error_message = "Outputs must expose NAT gateways, the public route table and the S3 endpoint."
  }
}

run "one_nat_per_az" {
  command = apply

  variables {
    one_nat_gateway_per_az = true
    azs                    = ["us-east-1a", "us-east-1b", "us-east-1c"]
    public_subnets         = ["10.20.0.0/24", "10.20.1.0/24", "10.20.2.0/24"]
    private_subnets        = ["10.20.16.0/20", "10.20.32.0/20", "10.20.48.0/20"]
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 3 && length(aws_eip.nat) == 3
    error_message = "one_nat_gateway_per_az must create one NAT gateway and EIP per AZ."
  }

  assert {
    condition     = aws_nat_gateway.this[*].subnet_id == aws_subnet.public[*].id && aws_nat_gateway.this[*].allocation_id == aws_eip.nat[*].id
    error_message = "NAT gateway i must sit in public subnet i with EIP i."
  }

  assert {
    condition     = aws_route.private_nat[*].nat_gateway_id == aws_nat_gateway.this[*].id && aws_route.private_nat[*].route_table_id == aws_route_table.private[*].id
    error_message = "Private route table i must route to the NAT gateway of AZ i."
  }

  assert {
    condition     = length(aws_route_table.private) == 3 && toset(aws_vpc_endpoint.s3[0].route_table_ids) == toset(aws_route_table.private[*].id)
    error_message = "Three private route tables, all attached to the S3 endpoint."
  }
}

run "nat_endpoint_and_flow_logs_disabled" {
  command = apply

  variables {
    enable_nat_gateway = false
    enable_s3_endpoint = false
    enable_flow_logs   = false
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 0 && length(aws_eip.nat) == 0 && length(aws_route.private_nat) == 0
    error_message = "No NAT gateways, EIPs or NAT routes when enable_nat_gateway = false."
  }

  assert {
    condition     = length(aws_vpc_endpoint.s3) == 0 && output.s3_endpoint_id == null
    error_message = "No S3 endpoint when enable_s3_endpoint = false."
  }

  assert {
    condition     = length(aws_flow_log.this) == 0 && length(aws_kms_key.flow_logs) == 0 && length(aws_iam_role.flow_logs) == 0
    error_message = "No flow log resources when enable_flow_logs = false."
  }
}

run "existing_flow_log_key" {
  command = plan

  variables {
    flow_log_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/99999999-2222-3333-4444-555555555555"
  }

  assert {
    condition     = length(aws_kms_key.flow_logs) == 0 && aws_cloudwatch_log_group.flow_logs[0].kms_key_id == "arn:aws:kms:us-east-1:123456789012:key/99999999-2222-3333-4444-555555555555"
    error_message = "A supplied flow_log_kms_key_arn must be used instead of creating a key."
  }
}

run "rejects_malformed_vpc_cidr" {
  command = plan
  variables {
    cidr = "10.20.0.0/33"
  }
  expect_failures = [var.cidr]
}

run "rejects_non_network_vpc_cidr" {
  command = plan
  variables {
    cidr = "10.20.5.0/16"
  }
  expect_failures = [var.cidr]
}

run "rejects_vpc_prefix_too_large" {
  command = plan
  variables {
    cidr = "10.0.0.0/8"
  }
  expect_failures = [var.cidr]
}

run "rejects_malformed_subnet" {
  command = plan
  variables {
    public_subnets = ["10.20.0.0/24", "10.20.1.300/24"]
  }
  expect_failures = [var.public_subnets]
}

run "rejects_overlapping_public_subnets" {
  command = plan
  variables {
    public_subnets = ["10.20.0.0/23", "10.20.1.0/24"]
  }
  expect_failures = [var.public_subnets]
}

run "rejects_private_overlapping_public" {
  command = plan
  variables {
    private_subnets = ["10.20.0.0/20", "10.20.32.0/20"]
  }
  expect_failures = [var.private_subnets]
}

run "rejects_overlapping_private_subnets" {
  command = plan
  variables {
    private_subnets = ["10.20.16.0/20", "10.20.24.0/21"]
  }
  expect_failures = [var.private_subnets]
}

run "rejects_subnet_outside_vpc" {
  command = plan
  variables {
    private_subnets = ["10.20.16.0/20", "10.21.32.0/20"]
  }
  expect_failures = [var.private_subnets]
}

run "rejects_subnet_count_mismatch" {
  command = plan
  variables {
    public_subnets = ["10.20.0.0/24", "10.20.1.0/24", "10.20.2.0/24"]
  }
  expect_failures = [var.public_subnets]
}

run "rejects_single_az" {
  command = plan
  variables {
    azs             = ["us-east-1a"]
    public_subnets  = ["10.20.0.0/24"]
    private_subnets = ["10.20.16.0/20"]
  }
  expect_failures = [var.azs]
}
