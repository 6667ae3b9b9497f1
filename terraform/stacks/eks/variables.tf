################################################################################
# Common variables (identical in every stack)
################################################################################

variable "project" {
  description = "Short project name used as a prefix for resource names and the Project tag."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,24}[a-z0-9]$", var.project))
    error_message = "project must be 3-26 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen, e.g. \"shopfront\". Fix the value of project."
  }
}

variable "environment" {
  description = "Environment name, used in resource names and the Environment tag (e.g. local, dev, prod)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,15}$", var.environment))
    error_message = "environment must be 2-16 lowercase letters or digits starting with a letter (no hyphens), e.g. \"local\", \"dev\" or \"prod\". Fix the value of environment."
  }
}

variable "region" {
  description = "AWS region the stack deploys to (one of the supported commercial regions)."
  type        = string

  validation {
    condition = contains([
      "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
      "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2",
      "eu-north-1", "eu-south-1", "eu-south-2",
      "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
      "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-east-1",
      "sa-east-1", "me-south-1", "me-central-1", "af-south-1", "il-central-1", "mx-central-1",
    ], var.region)
    error_message = "region must be a supported commercial AWS region code such as \"us-east-1\" or \"eu-west-1\" (GovCloud, China and unlisted regions are not supported). Fix the value of region."
  }
}

variable "tags" {
  description = "Extra tags merged into the provider default_tags (Project, Environment, ManagedBy and Stack are always set)."
  type        = map(string)
  default     = {}
}

################################################################################
# Stack variables
################################################################################

variable "state_bucket" {
  description = "S3 bucket holding the other stacks' states under \"<stack>/terraform.tfstate\" (network and dns are read from it)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket))
    error_message = "state_bucket must be an S3 bucket name (3-63 lowercase letters, digits, dots or hyphens), e.g. \"shopfront-tfstate\". Fix the value of state_bucket."
  }
}

variable "cluster_name" {
  description = "EKS cluster name. Empty (default) means \"<project>-<environment>\", the name the network stack tags its subnets for."
  type        = string
  default     = ""

  validation {
    condition     = var.cluster_name == "" || can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,39}$", var.cluster_name))
    error_message = "cluster_name must be empty or 1-40 letters, digits or hyphens starting with a letter or digit, e.g. \"shopfront-dev\". It must match the network stack's cluster_name."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the cluster (\"1.31\", \"1.32\" or \"1.33\")."
  type        = string
  default     = "1.33"
}

variable "endpoint_public_access" {
  description = "Expose the Kubernetes API publicly, restricted to public_access_cidrs (the private endpoint is always on)."
  type        = bool
  default     = true
}

variable "public_access_cidrs" {
  description = "IPv4 CIDRs allowed to reach the public API endpoint; required when endpoint_public_access = true, 0.0.0.0/0 is rejected."
  type        = list(string)
  default     = []
}

variable "cluster_log_retention_days" {
  description = "Retention of the control plane log group in days (CloudWatch Logs supported value)."
  type        = number
  default     = 90
}

variable "admin_role_arns" {
  description = "IAM (SSO permission-set) role ARNs that get cluster admin through EKS access entries."
  type        = list(string)
  default     = []
}

variable "readonly_role_arns" {
  description = "IAM (SSO permission-set) role ARNs that get read-only access (AmazonEKSViewPolicy) through EKS access entries."
  type        = list(string)
  default     = []
}

variable "cluster_creator_admin" {
  description = "Grant cluster admin to the IAM role running Terraform, so the Ansible phase can install the Helm releases."
  type        = bool
  default     = true
}

variable "node_groups" {
  description = "Managed node groups keyed by name (see the eks module for the fields and their defaults)."
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
}

variable "addon_versions" {
  description = "Overrides of the module's pinned EKS add-on versions, keyed by add-on name (e.g. { coredns = \"v1.12.2-eksbuild.4\" })."
  type        = map(string)
  default     = {}
}

variable "emulated_aws" {
  description = "true only against an AWS emulator (moto) that cannot serve EKS add-ons, access entries/policy associations, the cluster access_config and node group update_config (and crashes on in-place cluster updates). Never set it against real AWS."
  type        = bool
  default     = false
}
