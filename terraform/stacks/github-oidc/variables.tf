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

variable "github_repository" {
  description = "GitHub repository whose workflows may assume the roles, as \"org/repo\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be \"org/repo\" (letters, digits, \"_\", \".\" and \"-\", exactly one slash, no wildcards), e.g. \"acme/shopfront\"."
  }
}

variable "plan_subjects" {
  description = "Subject suffixes trusted by the plan role; each becomes \"repo:<github_repository>:<subject>\"."
  type        = list(string)
  default     = ["pull_request"]

  validation {
    condition     = length(var.plan_subjects) > 0 && alltrue([for s in var.plan_subjects : can(regex("^(pull_request|ref:refs/(heads|tags)/[^*]+|environment:[A-Za-z0-9_.-]+)$", s))])
    error_message = "plan_subjects must be a non-empty list of \"pull_request\", \"ref:refs/heads/<branch>\", \"ref:refs/tags/<tag>\" or \"environment:<name>\" entries without \"*\" wildcards, e.g. [\"pull_request\"]."
  }
}

variable "apply_subjects" {
  description = "Subject suffixes trusted by the apply role (protected branch and/or GitHub environment); each becomes \"repo:<github_repository>:<subject>\"."
  type        = list(string)
  default     = ["ref:refs/heads/main"]

  validation {
    condition     = length(var.apply_subjects) > 0 && alltrue([for s in var.apply_subjects : can(regex("^(ref:refs/(heads|tags)/[^*]+|environment:[A-Za-z0-9_.-]+)$", s))])
    error_message = "apply_subjects must be a non-empty list of \"ref:refs/heads/<branch>\", \"ref:refs/tags/<tag>\" or \"environment:<name>\" entries without \"*\" wildcards (\"pull_request\" is not allowed), e.g. [\"ref:refs/heads/main\", \"environment:prod\"]."
  }
}

variable "create_oidc_provider" {
  description = "Create the account-global GitHub OIDC provider. Set false for every further environment in the same AWS account (it is then looked up)."
  type        = bool
  default     = true
}

variable "state_bucket_name" {
  description = "Name of the Terraform state bucket (bootstrap input state_bucket_name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be an S3 bucket name such as \"shopfront-dev-tfstate-123456789012\"."
  }
}

variable "lock_table_name" {
  description = "Name of the Terraform lock table (bootstrap input lock_table_name)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.lock_table_name))
    error_message = "lock_table_name must be a DynamoDB table name such as \"shopfront-dev-tflock\"."
  }
}

variable "state_kms_key_alias" {
  description = "Alias (without the alias/ prefix) of the KMS key that encrypts state (bootstrap input kms_key_alias)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_-]{1,250}$", var.state_kms_key_alias)) && !startswith(var.state_kms_key_alias, "alias/") && !startswith(var.state_kms_key_alias, "aws/")
    error_message = "state_kms_key_alias must be the alias name without \"alias/\" (e.g. \"shopfront-dev-tfstate\")."
  }
}

variable "max_session_duration" {
  description = "Maximum session duration in seconds for both roles (3600-43200)."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200 && floor(var.max_session_duration) == var.max_session_duration
    error_message = "max_session_duration must be a whole number of seconds between 3600 and 43200."
  }
}
