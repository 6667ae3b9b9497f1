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

variable "state_bucket_name" {
  description = "Globally unique name of the S3 bucket that will hold every stack's Terraform state."
  type        = string

  validation {
    condition = (
      can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name)) &&
      !can(regex("\\.\\.|\\.-|-\\.", var.state_bucket_name)) &&
      !can(regex("^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$", var.state_bucket_name)) &&
      !startswith(var.state_bucket_name, "xn--") &&
      !startswith(var.state_bucket_name, "sthree-") &&
      !endswith(var.state_bucket_name, "-s3alias") &&
      !endswith(var.state_bucket_name, "--ol-s3")
    )
    error_message = "state_bucket_name must be a valid S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit, no consecutive dots, not an IP address, not starting with \"xn--\"/\"sthree-\" and not ending with \"-s3alias\"/\"--ol-s3\". Example: \"shopfront-tfstate-123456789012\"."
  }
}

variable "lock_table_name" {
  description = "Name of the DynamoDB table used for state locking."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.lock_table_name))
    error_message = "lock_table_name must be 3-255 letters, digits, underscores, hyphens or dots, e.g. \"shopfront-tflock\"."
  }
}

variable "kms_key_alias" {
  description = "Alias of the state KMS key WITHOUT the \"alias/\" prefix, e.g. \"shopfront-tfstate\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_-]{1,250}$", var.kms_key_alias)) && !startswith(var.kms_key_alias, "alias/") && !startswith(lower(var.kms_key_alias), "aws/")
    error_message = "kms_key_alias must be 1-250 letters, digits, \"/\", \"_\" or \"-\", given WITHOUT the \"alias/\" prefix and not starting with the reserved \"aws/\", e.g. \"shopfront-tfstate\"."
  }
}

variable "kms_deletion_window_in_days" {
  description = "Days before a scheduled deletion of the state KMS key takes effect (7-30)."
  type        = number
  default     = 7

  validation {
    condition     = var.kms_deletion_window_in_days >= 7 && var.kms_deletion_window_in_days <= 30 && floor(var.kms_deletion_window_in_days) == var.kms_deletion_window_in_days
    error_message = "kms_deletion_window_in_days must be a whole number between 7 and 30."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which superseded state object versions are deleted."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of at least 1, e.g. 90."
  }
}

variable "lock_table_deletion_protection" {
  description = "Enable DynamoDB deletion protection on the lock table (turn on for long-lived accounts; must be off before teardown)."
  type        = bool
  default     = false
}

variable "enforce_kms_encrypted_uploads" {
  description = "Also deny PutObject requests that do not request SSE-KMS. Only enable when every backend config passes kms_key_id."
  type        = bool
  default     = false
}

variable "deny_insecure_transport" {
  description = "Deny every non-TLS request to the state bucket. Must stay true; false is accepted only for environment = \"local\" (the moto emulator ignores policy Conditions and would deny every object request)."
  type        = bool
  default     = true

  validation {
    condition     = var.deny_insecure_transport || var.environment == "local"
    error_message = "deny_insecure_transport may only be false when environment is \"local\" (emulator); remove the override for real AWS environments."
  }
}
