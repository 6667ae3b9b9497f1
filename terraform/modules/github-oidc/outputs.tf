output "oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC provider (created or looked up)."
  value       = local.oidc_provider_arn
}

output "oidc_provider_created" {
  description = "Whether this module instance created the OIDC provider."
  value       = var.create_oidc_provider
}

output "plan_role_arn" {
  description = "ARN of the plan role (assumed by pull-request workflows)."
  value       = aws_iam_role.plan.arn
}

output "plan_role_name" {
  description = "Name of the plan role."
  value       = aws_iam_role.plan.name
}

output "apply_role_arn" {
  description = "ARN of the apply role (assumed by protected branch/environment workflows)."
  value       = aws_iam_role.apply.arn
}

output "apply_role_name" {
  description = "Name of the apply role."
  value       = aws_iam_role.apply.name
}

output "plan_role_subjects" {
  description = "Exact OIDC sub claims the plan role trusts."
  value       = local.plan_subjects
}

output "apply_role_subjects" {
  description = "Exact OIDC sub claims the apply role trusts."
  value       = local.apply_subjects
}
