variable "name_prefix" {
  description = "Prefix for the role names: roles are named \"<name_prefix>-github-plan\" and \"<name_prefix>-github-apply\" (typically \"<project>-<environment>\")."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,50}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-52 lowercase letters, digits or hyphens, start with a letter and end with a letter or digit, e.g. \"shopfront-dev\"."
  }
}

variable "managed_iam_name_prefix" {
  description = "The apply role may only create/modify IAM roles, policies and instance profiles whose names start with \"<managed_iam_name_prefix>-\" (typically the project name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,24}[a-z0-9]$", var.managed_iam_name_prefix))
    error_message = "managed_iam_name_prefix must be 3-26 lowercase letters, digits or hyphens (no wildcards), e.g. \"shopfront\"."
  }
}

variable "github_repository" {
  description = "GitHub repository allowed to assume the roles, as \"org/repo\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be \"org/repo\" (letters, digits, \"_\", \".\" and \"-\" only, exactly one slash, no wildcards), e.g. \"acme/shopfront\"."
  }
}

variable "plan_subjects" {
  description = "OIDC subject suffixes trusted by the plan role; each becomes \"repo:<github_repository>:<subject>\"."
  type        = list(string)
  default     = ["pull_request"]

  validation {
    condition     = length(var.plan_subjects) > 0 && alltrue([for s in var.plan_subjects : can(regex("^(pull_request|ref:refs/(heads|tags)/[^*]+|environment:[A-Za-z0-9_.-]+)$", s))])
    error_message = "plan_subjects must be a non-empty list whose entries are \"pull_request\", \"ref:refs/heads/<branch>\", \"ref:refs/tags/<tag>\" or \"environment:<name>\", with no \"*\" wildcards."
  }
}

variable "apply_subjects" {
  description = "OIDC subject suffixes trusted by the apply role; each becomes \"repo:<github_repository>:<subject>\". Use protected refs/environments only."
  type        = list(string)
  default     = ["ref:refs/heads/main"]

  validation {
    condition     = length(var.apply_subjects) > 0 && alltrue([for s in var.apply_subjects : can(regex("^(ref:refs/(heads|tags)/[^*]+|environment:[A-Za-z0-9_.-]+)$", s))])
    error_message = "apply_subjects must be a non-empty list of \"ref:refs/heads/<branch>\", \"ref:refs/tags/<tag>\" or \"environment:<name>\" entries, with no \"*\" wildcards; \"pull_request\" is not allowed for the apply role."
  }
}

variable "create_oidc_provider" {
  description = "Create the account-global GitHub OIDC provider. Set false when another stack/environment in the same account already created it; it is then looked up."
  type        = bool
  default     = true
}

variable "state_bucket_arn" {
  description = "ARN of the Terraform state S3 bucket."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_arn))
    error_message = "state_bucket_arn must be an S3 bucket ARN, e.g. \"arn:aws:s3:::shopfront-tfstate\" (the bootstrap output state_bucket_arn)."
  }
}

variable "lock_table_arn" {
  description = "ARN of the Terraform lock DynamoDB table."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]{3,255}$", var.lock_table_arn))
    error_message = "lock_table_arn must be a DynamoDB table ARN, e.g. \"arn:aws:dynamodb:us-east-1:123456789012:table/shopfront-tflock\" (the bootstrap output lock_table_arn)."
  }
}

variable "state_kms_key_arn" {
  description = "ARN of the KMS key encrypting the state bucket and lock table."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.state_kms_key_arn))
    error_message = "state_kms_key_arn must be a KMS key ARN (not an alias), e.g. \"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\" (the bootstrap output kms_key_arn)."
  }
}

variable "max_session_duration" {
  description = "Maximum session duration, in seconds, for both roles."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200 && floor(var.max_session_duration) == var.max_session_duration
    error_message = "max_session_duration must be a whole number of seconds between 3600 and 43200."
  }
}

variable "tags" {
  description = "Tags applied to every resource created by the module."
  type        = map(string)
  default     = {}
}
