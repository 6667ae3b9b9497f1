data "aws_availability_zones" "available" {
  state = "available"

  # Allowlist the region's standard zones (<region>a..f) by name: Local and
  # Wavelength zones never match, and the candidate set cannot silently grow.
  filter {
    name   = "zone-name"
    values = [for letter in ["a", "b", "c", "d", "e", "f"] : "${var.region}${letter}"]
  }
}

locals {
  name         = "${var.project}-${var.environment}"
  cluster_name = coalesce(var.cluster_name, local.name)

  azs = length(var.azs) > 0 ? var.azs : slice(
    data.aws_availability_zones.available.names, 0,
    min(length(var.public_subnets), length(data.aws_availability_zones.available.names))
  )

  # Subnet discovery tags for EKS / the AWS Load Balancer Controller.
  public_subnet_tags = {
    "kubernetes.io/cluster/${local.cluster_name}" = "shared"
    "kubernetes.io/role/elb"                      = "1"
  }

  private_subnet_tags = {
    "kubernetes.io/cluster/${local.cluster_name}" = "shared"
    "kubernetes.io/role/internal-elb"             = "1"
  }
}

module "vpc" {
  source = "../../modules/vpc"

  name            = local.name
  cidr            = var.vpc_cidr
  azs             = local.azs
  public_subnets  = var.public_subnets
  private_subnets = var.private_subnets

  enable_nat_gateway     = true
  one_nat_gateway_per_az = var.one_nat_gateway_per_az
  enable_s3_endpoint     = true

  enable_flow_logs           = var.enable_flow_logs
  flow_log_retention_in_days = var.flow_log_retention_in_days

  public_subnet_tags  = local.public_subnet_tags
  private_subnet_tags = local.private_subnet_tags
}
