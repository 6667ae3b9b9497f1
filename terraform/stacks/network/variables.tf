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

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC (/16 to /24), e.g. \"10.20.0.0/16\"."
  type        = string
  default     = "10.20.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && try(tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 24, false)
    error_message = "vpc_cidr must be a valid IPv4 CIDR with a /16 to /24 prefix, e.g. \"10.20.0.0/16\"."
  }
}

variable "azs" {
  description = "Availability zones to use. Empty (default) picks the first N available AZs of the region, N = number of public_subnets (2 by default)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.azs) == 0 || (length(var.azs) >= 2 && length(var.azs) <= 6)
    error_message = "azs must be empty (auto-select) or list 2 to 6 availability zones, e.g. [\"us-east-1a\", \"us-east-1b\"]."
  }
}

variable "public_subnets" {
  description = "Public subnet CIDRs, one per AZ, inside vpc_cidr."
  type        = list(string)
  default     = ["10.20.0.0/24", "10.20.1.0/24"]

  validation {
    condition     = length(var.public_subnets) >= 2 && alltrue([for s in var.public_subnets : can(cidrhost(s, 0))])
    error_message = "public_subnets must list at least 2 valid IPv4 CIDRs (one per AZ), e.g. [\"10.20.0.0/24\", \"10.20.1.0/24\"]."
  }
}

variable "private_subnets" {
  description = "Private subnet CIDRs, one per AZ, inside vpc_cidr (size them for EKS pods, e.g. /20)."
  type        = list(string)
  default     = ["10.20.16.0/20", "10.20.32.0/20"]

  validation {
    condition     = length(var.private_subnets) == length(var.public_subnets) && alltrue([for s in var.private_subnets : can(cidrhost(s, 0))])
    error_message = "private_subnets must list valid IPv4 CIDRs, as many as public_subnets, e.g. [\"10.20.16.0/20\", \"10.20.32.0/20\"]."
  }
}

variable "one_nat_gateway_per_az" {
  description = "false (default): one shared NAT gateway. true: one NAT gateway per AZ (resilient, costs more)."
  type        = bool
  default     = false
}

variable "cluster_name" {
  description = "EKS cluster name used in the kubernetes.io/cluster/<name> subnet tags. null defaults to \"<project>-<environment>\"."
  type        = string
  default     = null

  validation {
    condition     = var.cluster_name == null || can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be null or 1-100 letters, digits, hyphens or underscores starting with a letter or digit (EKS naming rules), e.g. \"shopfront-dev\"."
  }
}

variable "enable_flow_logs" {
  description = "Send VPC flow logs to a KMS-encrypted CloudWatch Logs group."
  type        = bool
  default     = true
}

variable "flow_log_retention_in_days" {
  description = "Retention of the flow log group in days (CloudWatch Logs supported value)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_in_days)
    error_message = "flow_log_retention_in_days must be a CloudWatch Logs retention value such as 30, 90, 365 or 731."
  }
}
