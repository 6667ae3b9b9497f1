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
