output "oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC provider."
  value       = module.github_oidc.oidc_provider_arn
}

output "plan_role_arn" {
  description = "ARN of the plan role (use in pull-request workflows)."
  value       = module.github_oidc.plan_role_arn
}

output "plan_role_name" {
  description = "Name of the plan role."
  value       = module.github_oidc.plan_role_name
}

output "apply_role_arn" {
  description = "ARN of the apply role (use in main-branch / environment workflows)."
  value       = module.github_oidc.apply_role_arn
}

output "apply_role_name" {
  description = "Name of the apply role."
  value       = module.github_oidc.apply_role_name
}

output "plan_role_subjects" {
  description = "Exact OIDC sub claims trusted by the plan role."
  value       = module.github_oidc.plan_role_subjects
}

output "apply_role_subjects" {
  description = "Exact OIDC sub claims trusted by the apply role."
  value       = module.github_oidc.apply_role_subjects
}
