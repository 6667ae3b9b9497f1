variable "name" {
  description = "Name used for the VPC and as the prefix of every resource's Name tag (e.g. \"<name>-public-<az>\")."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,46}$", var.name))
    error_message = "name must be 1-47 letters, digits or hyphens, starting with a letter or digit, e.g. \"shopfront-dev\"."
  }
}

variable "cidr" {
  description = "IPv4 CIDR block of the VPC, between /16 and /24, given as a network address (e.g. \"10.20.0.0/16\")."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr, 0)) && try(cidrhost(var.cidr, 0) == split("/", var.cidr)[0], false)
    error_message = "cidr must be a valid IPv4 CIDR given as its network address, e.g. \"10.20.0.0/16\" (not \"10.20.1.0/16\" or \"10.20.0.0\")."
  }

  validation {
    condition     = try(tonumber(split("/", var.cidr)[1]) >= 16 && tonumber(split("/", var.cidr)[1]) <= 24, false)
    error_message = "cidr prefix length must be between /16 and /24 (AWS VPC limits), e.g. \"10.20.0.0/16\"."
  }
}

variable "azs" {
  description = "Availability zones, one public and one private subnet per AZ (same order as the subnet lists)."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2 && length(var.azs) <= 6 && length(distinct(var.azs)) == length(var.azs)
    error_message = "azs must list 2 to 6 distinct availability zones, e.g. [\"us-east-1a\", \"us-east-1b\"]."
  }
}

variable "public_subnets" {
  description = "Public subnet CIDRs, one per AZ in var.azs (same order). Must lie inside var.cidr and not overlap any other subnet."
  type        = list(string)

  validation {
    condition     = alltrue([for s in var.public_subnets : can(cidrhost(s, 0)) && try(cidrhost(s, 0) == split("/", s)[0] && tonumber(split("/", s)[1]) >= 16 && tonumber(split("/", s)[1]) <= 28, false)])
    error_message = "public_subnets entries must be valid IPv4 CIDRs given as network addresses with a /16-/28 prefix, e.g. \"10.20.0.0/24\"."
  }

  validation {
    condition     = length(var.public_subnets) == length(var.azs)
    error_message = "public_subnets must have exactly one CIDR per entry of azs (same length as azs)."
  }

  validation {
    # Only checked once var.cidr and the entry are valid CIDRs (those errors are reported separately).
    condition = !can(cidrhost(var.cidr, 0)) || alltrue([
      for s in var.public_subnets : !can(cidrhost(s, 0)) || try(
        tonumber(split("/", s)[1]) >= tonumber(split("/", var.cidr)[1]) &&
        cidrhost("${cidrhost(s, 0)}/${split("/", var.cidr)[1]}", 0) == cidrhost(var.cidr, 0),
        false
      )
    ])
    error_message = "Every public_subnets CIDR must lie inside the VPC cidr."
  }

  validation {
    condition = alltrue(flatten([
      for i, a in var.public_subnets : [
        for j, b in var.public_subnets : i >= j || !try(
          cidrhost("${cidrhost(a, 0)}/${min(tonumber(split("/", a)[1]), tonumber(split("/", b)[1]))}", 0) ==
          cidrhost("${cidrhost(b, 0)}/${min(tonumber(split("/", a)[1]), tonumber(split("/", b)[1]))}", 0),
          false
        )
      ]
    ]))
    error_message = "public_subnets CIDRs must not overlap each other."
  }
}

variable "private_subnets" {
  description = "Private subnet CIDRs, one per AZ in var.azs (same order). Must lie inside var.cidr and not overlap any other subnet (public or private)."
  type        = list(string)

  validation {
    condition     = alltrue([for s in var.private_subnets : can(cidrhost(s, 0)) && try(cidrhost(s, 0) == split("/", s)[0] && tonumber(split("/", s)[1]) >= 16 && tonumber(split("/", s)[1]) <= 28, false)])
    error_message = "private_subnets entries must be valid IPv4 CIDRs given as network addresses with a /16-/28 prefix, e.g. \"10.20.16.0/20\"."
  }

  validation {
    condition     = length(var.private_subnets) == length(var.azs)
    error_message = "private_subnets must have exactly one CIDR per entry of azs (same length as azs)."
  }

  validation {
    # Only checked once var.cidr and the entry are valid CIDRs (those errors are reported separately).
    condition = !can(cidrhost(var.cidr, 0)) || alltrue([
      for s in var.private_subnets : !can(cidrhost(s, 0)) || try(
        tonumber(split("/", s)[1]) >= tonumber(split("/", var.cidr)[1]) &&
        cidrhost("${cidrhost(s, 0)}/${split("/", var.cidr)[1]}", 0) == cidrhost(var.cidr, 0),
        false
      )
    ])
    error_message = "Every private_subnets CIDR must lie inside the VPC cidr."
  }

  validation {
    condition = alltrue(flatten([
      for i, a in var.private_subnets : [
        for j, b in concat(var.private_subnets, var.public_subnets) : (j < length(var.private_subnets) && i >= j) || !try(
          cidrhost("${cidrhost(a, 0)}/${min(tonumber(split("/", a)[1]), tonumber(split("/", b)[1]))}", 0) ==
          cidrhost("${cidrhost(b, 0)}/${min(tonumber(split("/", a)[1]), tonumber(split("/", b)[1]))}", 0),
          false
        )
      ]
    ]))
    error_message = "private_subnets CIDRs must not overlap each other or any public_subnets CIDR."
  }
}

variable "enable_nat_gateway" {
  description = "Create NAT gateway(s) and default routes from the private route tables to them."
  type        = bool
  default     = true
}

variable "one_nat_gateway_per_az" {
  description = "false: a single NAT gateway in the first public subnet shared by every private route table (cheaper). true: one NAT gateway + EIP per AZ, each private route table using its own AZ's NAT (zone-resilient)."
  type        = bool
  default     = false
}

variable "enable_s3_endpoint" {
  description = "Create an S3 Gateway VPC endpoint associated with all private route tables."
  type        = bool
  default     = true
}

variable "enable_flow_logs" {
  description = "Send VPC flow logs (ALL traffic) to a KMS-encrypted CloudWatch Logs log group."
  type        = bool
  default     = true
}

variable "flow_log_retention_in_days" {
  description = "Retention of the flow log group, in days (a CloudWatch Logs supported value)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_in_days)
    error_message = "flow_log_retention_in_days must be a CloudWatch Logs retention value: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "flow_log_kms_key_arn" {
  description = "Existing KMS key ARN for the flow log group. null creates a dedicated customer-managed key (with rotation)."
  type        = string
  default     = null

  validation {
    condition     = var.flow_log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.flow_log_kms_key_arn))
    error_message = "flow_log_kms_key_arn must be null or a KMS key ARN, e.g. \"arn:aws:kms:us-east-1:123456789012:key/1234abcd-...\"."
  }
}

variable "flow_log_kms_deletion_window_in_days" {
  description = "Deletion window of the module-created flow log KMS key (7-30)."
  type        = number
  default     = 7

  validation {
    condition     = var.flow_log_kms_deletion_window_in_days >= 7 && var.flow_log_kms_deletion_window_in_days <= 30
    error_message = "flow_log_kms_deletion_window_in_days must be between 7 and 30."
  }
}

variable "public_subnet_tags" {
  description = "Extra tags for the public subnets (e.g. kubernetes.io/role/elb = 1)."
  type        = map(string)
  default     = {}
}

variable "private_subnet_tags" {
  description = "Extra tags for the private subnets (e.g. kubernetes.io/role/internal-elb = 1)."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags merged onto every resource."
  type        = map(string)
  default     = {}
}
