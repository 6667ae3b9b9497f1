output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = module.eks.cluster_name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = module.eks.cluster_arn
}

output "cluster_endpoint" {
  description = "URL of the Kubernetes API server."
  value       = module.eks.cluster_endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64-encoded CA certificate of the cluster (for kubeconfig)."
  value       = module.eks.cluster_certificate_authority_data
}

output "cluster_version" {
  description = "Kubernetes version of the control plane."
  value       = module.eks.cluster_version
}

output "cluster_security_group_id" {
  description = "ID of the security group EKS created for the control plane and the managed nodes."
  value       = module.eks.cluster_security_group_id
}

output "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (IRSA)."
  value       = module.eks.oidc_provider_arn
}

output "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster."
  value       = module.eks.oidc_issuer_url
}

output "irsa_role_arns" {
  description = "IRSA role ARNs keyed by cluster_autoscaler, aws_load_balancer_controller, ebs_csi_driver and external_dns."
  value       = module.eks.irsa_role_arns
}

output "service_accounts" {
  description = "Service account ({namespace, name}) each IRSA role trusts, keyed like irsa_role_arns."
  value       = module.eks.service_accounts
}

output "node_group_names" {
  description = "EKS node group names keyed by the node_groups keys."
  value       = module.eks.node_group_names
}

output "node_role_arn" {
  description = "ARN of the IAM role of the managed nodes."
  value       = module.eks.node_role_arn
}

output "cluster_kms_key_arn" {
  description = "ARN of the KMS key encrypting Kubernetes secrets."
  value       = module.eks.cluster_kms_key_arn
}

output "addon_versions" {
  description = "EKS add-on versions installed, keyed by add-on name ({} when emulated_aws = true)."
  value       = module.eks.addon_versions
}

output "vpc_id" {
  description = "ID of the VPC the cluster runs in (from the network stack)."
  value       = local.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnet IDs of the cluster and its node groups (from the network stack)."
  value       = local.private_subnet_ids
}

output "region" {
  description = "AWS region of the cluster."
  value       = var.region
}
