output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = aws_eks_cluster.this.arn
}

output "cluster_endpoint" {
  description = "URL of the Kubernetes API server."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64-encoded CA certificate of the cluster (for kubeconfig)."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "cluster_version" {
  description = "Kubernetes version of the control plane."
  value       = aws_eks_cluster.this.version
}

output "cluster_security_group_id" {
  description = "ID of the security group EKS created for the control plane and the managed nodes."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (IRSA)."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster (https://oidc.eks.<region>.amazonaws.com/id/<ID>)."
  value       = local.oidc_issuer_url
}

output "irsa_role_arns" {
  description = "IRSA role ARNs keyed by cluster_autoscaler, aws_load_balancer_controller, ebs_csi_driver and external_dns (annotate the service accounts with eks.amazonaws.com/role-arn)."
  value       = tomap({ for k, r in aws_iam_role.irsa : k => r.arn })
}

output "service_accounts" {
  description = "Service account each IRSA role trusts, keyed like irsa_role_arns: {namespace, name}."
  value       = { for k, sa in local.service_accounts : k => { namespace = sa.namespace, name = sa.name } }
}

output "node_group_names" {
  description = "EKS node group names keyed by the node_groups keys."
  value       = tomap({ for k, ng in aws_eks_node_group.this : k => ng.node_group_name })
}

output "node_role_arn" {
  description = "ARN of the IAM role of the managed nodes."
  value       = aws_iam_role.node.arn
}

output "cluster_kms_key_arn" {
  description = "ARN of the KMS key encrypting Kubernetes secrets."
  value       = aws_kms_key.cluster.arn
}

output "addon_versions" {
  description = "EKS add-on versions actually installed, keyed by add-on name ({} when emulated_aws = true)."
  value       = tomap(merge({ for k, a in aws_eks_addon.before_compute : k => a.addon_version }, { for k, a in aws_eks_addon.this : k => a.addon_version }))
}
