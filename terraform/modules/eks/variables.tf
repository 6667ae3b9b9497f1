variable "name" {
  description = "EKS cluster name; also the prefix of every IAM role, KMS alias and launch template name (e.g. \"<name>-eks-node\")."
  type        = string

  validation {
    # 40 characters keeps the longest derived IAM role name ("<name>-irsa-cluster-autoscaler") within IAM's 64-character limit.
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,39}$", var.name))
    error_message = "name must be 1-40 letters, digits or hyphens starting with a letter or digit (EKS cluster naming, and short enough for the derived IAM role names), e.g. \"shopfront-dev\"."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and the managed node groups. Must be one of the versions this module pins add-on versions for (\"1.31\", \"1.32\", \"1.33\")."
  type        = string
  default     = "1.33"

  validation {
    condition     = contains(keys(local.supported_versions), var.kubernetes_version)
    error_message = "kubernetes_version must be one of ${join(", ", [for v in sort(keys(local.supported_versions)) : "\"${v}\""])} (the versions with pinned add-on versions in local.supported_versions). Fix the value of kubernetes_version or add the version to the module."
  }
}

variable "subnet_ids" {
  description = "IDs of the private subnets (at least two, in different AZs) for the control plane ENIs and every managed node group."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must list at least two private subnet IDs (\"subnet-...\") in different AZs; EKS requires two AZs. Pass the network stack's private_subnet_ids."
  }
}

################################################################################
# Control plane
################################################################################

variable "endpoint_public_access" {
  description = "Expose the Kubernetes API endpoint publicly (restricted to public_access_cidrs). The private endpoint is always enabled."
  type        = bool
  default     = false
}

variable "public_access_cidrs" {
  description = "IPv4 CIDRs allowed to reach the public API endpoint. Required (non-empty) when endpoint_public_access = true; 0.0.0.0/0 is rejected."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.public_access_cidrs : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/[0-9]+$", c))])
    error_message = "public_access_cidrs entries must be valid IPv4 CIDRs such as \"203.0.113.0/24\". Fix the value of public_access_cidrs."
  }

  validation {
    condition     = alltrue([for c in var.public_access_cidrs : !can(cidrhost(c, 0)) || try(split("/", c)[1] != "0", true)])
    error_message = "public_access_cidrs must not contain 0.0.0.0/0 (or any /0): list the office/VPN/CI egress CIDRs instead, or set endpoint_public_access = false."
  }

  validation {
    condition     = !var.endpoint_public_access || length(var.public_access_cidrs) > 0
    error_message = "public_access_cidrs must list at least one CIDR when endpoint_public_access = true (EKS would otherwise default to 0.0.0.0/0). Add your egress CIDRs or set endpoint_public_access = false."
  }
}

variable "cluster_log_types" {
  description = "Control plane log types sent to CloudWatch Logs (/aws/eks/<name>/cluster)."
  type        = list(string)
  default     = ["api", "audit", "authenticator"]

  validation {
    condition     = length(var.cluster_log_types) > 0 && alltrue([for t in var.cluster_log_types : contains(["api", "audit", "authenticator", "controllerManager", "scheduler"], t)])
    error_message = "cluster_log_types must be a non-empty subset of \"api\", \"audit\", \"authenticator\", \"controllerManager\" and \"scheduler\". Fix the value of cluster_log_types."
  }
}

variable "cluster_log_retention_days" {
  description = "Retention of the control plane log group, in days (a CloudWatch Logs supported value)."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cluster_log_retention_days)
    error_message = "cluster_log_retention_days must be a CloudWatch Logs retention value: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "kms_deletion_window_in_days" {
  description = "Deletion window of the module-created KMS keys (secrets and control plane logs), 7-30 days."
  type        = number
  default     = 7

  validation {
    condition     = var.kms_deletion_window_in_days >= 7 && var.kms_deletion_window_in_days <= 30
    error_message = "kms_deletion_window_in_days must be between 7 and 30."
  }
}

################################################################################
# Cluster access (EKS access entries; no aws-auth ConfigMap)
################################################################################

variable "admin_role_arns" {
  description = "IAM role ARNs (e.g. IAM Identity Center permission-set roles) granted AmazonEKSClusterAdminPolicy on the whole cluster through EKS access entries."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.admin_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$", a))])
    error_message = "admin_role_arns entries must be IAM role ARNs such as \"arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef\" (not users, groups or assumed-role session ARNs). Fix the value of admin_role_arns."
  }
}

variable "readonly_role_arns" {
  description = "IAM role ARNs granted AmazonEKSViewPolicy (read-only, without Secrets) on the whole cluster through EKS access entries."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.readonly_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$", a))])
    error_message = "readonly_role_arns entries must be IAM role ARNs such as \"arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly_0123456789abcdef\". Fix the value of readonly_role_arns."
  }

  validation {
    condition     = length(setintersection(var.readonly_role_arns, var.admin_role_arns)) == 0
    error_message = "readonly_role_arns must not repeat a role of admin_role_arns (a principal has exactly one access entry). Remove the duplicate from readonly_role_arns."
  }
}

variable "cluster_creator_admin" {
  description = "Also grant cluster admin (access entry + AmazonEKSClusterAdminPolicy) to the IAM identity running Terraform (its role, resolved from the session), so the later Ansible/Helm phase can reach the cluster."
  type        = bool
  default     = true
}

################################################################################
# Managed node groups
################################################################################

variable "node_groups" {
  description = "Managed node groups keyed by name. Each group runs in all subnet_ids with its own launch template (IMDSv2, encrypted gp3 root volume). AMI types are restricted to AL2023 variants."
  type = map(object({
    instance_types             = optional(list(string), ["t3.large"])
    capacity_type              = optional(string, "ON_DEMAND")
    ami_type                   = optional(string, "AL2023_x86_64_STANDARD")
    min_size                   = optional(number, 2)
    desired_size               = optional(number, 2)
    max_size                   = optional(number, 4)
    disk_size_gb               = optional(number, 50)
    labels                     = optional(map(string), {})
    max_unavailable_percentage = optional(number, 33)
  }))
  default = {
    default = {}
  }

  validation {
    condition     = length(var.node_groups) > 0 && alltrue([for k, g in var.node_groups : can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$", k))])
    error_message = "node_groups must define at least one group, and every key must be 1-63 letters, digits, hyphens or underscores starting with a letter or digit (it becomes the node group name)."
  }

  validation {
    condition     = alltrue([for k, g in var.node_groups : g.min_size >= 0 && g.max_size >= 1 && g.min_size <= g.desired_size && g.desired_size <= g.max_size])
    error_message = "node_groups: every group needs 0 <= min_size <= desired_size <= max_size and max_size >= 1. Offending groups: ${join(", ", [for k, g in var.node_groups : k if !(g.min_size >= 0 && g.max_size >= 1 && g.min_size <= g.desired_size && g.desired_size <= g.max_size)])}."
  }

  validation {
    condition     = alltrue([for k, g in var.node_groups : contains(["ON_DEMAND", "SPOT"], g.capacity_type)])
    error_message = "node_groups: capacity_type must be \"ON_DEMAND\" or \"SPOT\". Offending groups: ${join(", ", [for k, g in var.node_groups : k if !contains(["ON_DEMAND", "SPOT"], g.capacity_type)])}."
  }

  validation {
    condition     = alltrue([for k, g in var.node_groups : contains(["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NVIDIA", "AL2023_x86_64_NEURON"], g.ami_type)])
    error_message = "node_groups: ami_type must be an AL2023 type (\"AL2023_x86_64_STANDARD\", \"AL2023_ARM_64_STANDARD\", \"AL2023_x86_64_NVIDIA\" or \"AL2023_x86_64_NEURON\"); AL2 has no AMIs for Kubernetes 1.33. Offending groups: ${join(", ", [for k, g in var.node_groups : k if !contains(["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NVIDIA", "AL2023_x86_64_NEURON"], g.ami_type)])}."
  }

  validation {
    condition     = alltrue([for k, g in var.node_groups : length(g.instance_types) > 0 && g.disk_size_gb >= 20 && g.disk_size_gb <= 16384])
    error_message = "node_groups: every group needs at least one instance type and disk_size_gb between 20 and 16384. Offending groups: ${join(", ", [for k, g in var.node_groups : k if !(length(g.instance_types) > 0 && g.disk_size_gb >= 20 && g.disk_size_gb <= 16384)])}."
  }

  validation {
    condition     = alltrue([for k, g in var.node_groups : g.max_unavailable_percentage >= 1 && g.max_unavailable_percentage <= 100])
    error_message = "node_groups: max_unavailable_percentage must be between 1 and 100. Offending groups: ${join(", ", [for k, g in var.node_groups : k if !(g.max_unavailable_percentage >= 1 && g.max_unavailable_percentage <= 100)])}."
  }
}

################################################################################
# Add-ons and IRSA
################################################################################

variable "addon_versions" {
  description = "Overrides of the pinned EKS add-on versions, keyed by add-on name (vpc-cni, coredns, kube-proxy, aws-ebs-csi-driver, metrics-server). Get valid values with `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>`."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.addon_versions : contains(["vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver", "metrics-server"], k)])
    error_message = "addon_versions keys must be add-on names managed by this module: \"vpc-cni\", \"coredns\", \"kube-proxy\", \"aws-ebs-csi-driver\" or \"metrics-server\". Fix the keys of addon_versions."
  }

  validation {
    condition     = alltrue([for k, v in var.addon_versions : can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+-eksbuild\\.[0-9]+$", v))])
    error_message = "addon_versions values must be EKS add-on versions such as \"v1.20.0-eksbuild.1\" (see `aws eks describe-addon-versions`). Fix the values of addon_versions."
  }
}

variable "service_accounts" {
  description = "Kubernetes service accounts (namespace/name) trusted by the IRSA roles; each role trusts exactly one service account. The Helm releases must use these names."
  type = object({
    cluster_autoscaler = optional(object({
      namespace = optional(string, "kube-system")
      name      = optional(string, "cluster-autoscaler")
    }), {})
    aws_load_balancer_controller = optional(object({
      namespace = optional(string, "kube-system")
      name      = optional(string, "aws-load-balancer-controller")
    }), {})
    ebs_csi_driver = optional(object({
      namespace = optional(string, "kube-system")
      name      = optional(string, "ebs-csi-controller-sa")
    }), {})
    external_dns = optional(object({
      namespace = optional(string, "external-dns")
      name      = optional(string, "external-dns")
    }), {})
  })
  default = {}

  validation {
    condition = alltrue([
      for sa in [var.service_accounts.cluster_autoscaler, var.service_accounts.aws_load_balancer_controller, var.service_accounts.ebs_csi_driver, var.service_accounts.external_dns] :
      can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", sa.namespace)) && can(regex("^[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?$", sa.name))
    ])
    error_message = "service_accounts: every namespace must be a DNS-1123 label and every name a DNS-1123 subdomain (lowercase letters, digits, '-', '.'), with no wildcards. Fix the value of service_accounts."
  }
}

variable "external_dns_zone_arns" {
  description = "Route 53 hosted zone ARNs ExternalDNS may change records in (route53:ChangeResourceRecordSets is scoped to exactly these). Empty: the role can only list."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.external_dns_zone_arns : can(regex("^arn:aws[a-z-]*:route53:::hostedzone/[A-Z0-9]+$", a))])
    error_message = "external_dns_zone_arns entries must be hosted zone ARNs such as \"arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ\" (no wildcards). Pass the dns stack's zone_arn."
  }
}

################################################################################
# Emulator switch
################################################################################

variable "emulated_aws" {
  description = "true only when the AWS API is an emulator (moto) that cannot serve EKS add-ons, access entries/policy associations, the cluster access_config and node group update_config (and crashes on in-place cluster updates). Then add-ons and access entries are not created and access_config/update_config are omitted. Never set it against real AWS."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags merged onto every resource (and the instances/volumes/ENIs launched by the node groups)."
  type        = map(string)
  default     = {}
}
