# The backend's names come from the inventory; their ARNs are resolved here so that the stack
# can be planned and destroyed without the bootstrap stack's outputs (teardown runs it first).
data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

data "aws_kms_alias" "state" {
  name = "alias/${var.state_kms_key_alias}"
}

locals {
  state_bucket_arn = "arn:${data.aws_partition.current.partition}:s3:::${var.state_bucket_name}"
  lock_table_arn   = "arn:${data.aws_partition.current.partition}:dynamodb:${var.region}:${data.aws_caller_identity.current.account_id}:table/${var.lock_table_name}"
}

module "github_oidc" {
  source = "../../modules/github-oidc"

  name_prefix             = "${var.project}-${var.environment}"
  managed_iam_name_prefix = var.project

  github_repository    = var.github_repository
  plan_subjects        = var.plan_subjects
  apply_subjects       = var.apply_subjects
  create_oidc_provider = var.create_oidc_provider

  state_bucket_arn  = local.state_bucket_arn
  lock_table_arn    = local.lock_table_arn
  state_kms_key_arn = data.aws_kms_alias.state.target_key_arn

  max_session_duration = var.max_session_duration
}
