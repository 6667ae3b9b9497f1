# Outputs of the network and dns stacks, read from the shared state bucket.
# The S3 endpoint comes from the environment (AWS_ENDPOINT_URL), as for the backend.
data "terraform_remote_state" "network" {
  backend = "s3"

  config = {
    bucket = var.state_bucket
    key    = "network/terraform.tfstate"
    region = var.region
  }
}

data "terraform_remote_state" "dns" {
  backend = "s3"

  config = {
    bucket = var.state_bucket
    key    = "dns/terraform.tfstate"
    region = var.region
  }
}

locals {
  cluster_name = var.cluster_name != "" ? var.cluster_name : "${var.project}-${var.environment}"

  vpc_id             = data.terraform_remote_state.network.outputs.vpc_id
  private_subnet_ids = data.terraform_remote_state.network.outputs.private_subnet_ids
  zone_arn           = data.terraform_remote_state.dns.outputs.zone_arn
}

module "eks" {
  source = "../../modules/eks"

  name               = local.cluster_name
  kubernetes_version = var.kubernetes_version
  subnet_ids         = local.private_subnet_ids

  endpoint_public_access     = var.endpoint_public_access
  public_access_cidrs        = var.public_access_cidrs
  cluster_log_retention_days = var.cluster_log_retention_days

  admin_role_arns       = var.admin_role_arns
  readonly_role_arns    = var.readonly_role_arns
  cluster_creator_admin = var.cluster_creator_admin

  node_groups    = var.node_groups
  addon_versions = var.addon_versions

  external_dns_zone_arns = [local.zone_arn]

  emulated_aws = var.emulated_aws
}
