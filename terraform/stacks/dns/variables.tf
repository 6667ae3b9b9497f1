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

variable "domain_name" {
  description = "Apex of the public Route 53 hosted zone, lowercase without a trailing dot (e.g. \"example.com\")."
  type        = string

  validation {
    condition     = length(var.domain_name) <= 253 && can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name of at least two labels without a trailing dot, e.g. \"example.com\". Fix the value of domain_name."
  }
}

variable "create_zone" {
  description = "true: create the public hosted zone for domain_name (delegate it from the parent domain afterwards). false (default): use an existing public zone."
  type        = bool
  default     = false
}

variable "zone_id" {
  description = "ID of the existing public hosted zone for domain_name when create_zone = false. \"\" (default) looks the zone up by domain_name."
  type        = string
  default     = ""

  validation {
    condition     = var.zone_id == "" || can(regex("^[A-Z0-9]{1,32}$", var.zone_id))
    error_message = "zone_id must be \"\" or a bare hosted zone ID of uppercase letters and digits, e.g. \"Z0123456789ABCDEFGHIJ\" (not \"/hostedzone/Z...\"). Fix the value of zone_id."
  }

  validation {
    condition     = !var.create_zone || var.zone_id == ""
    error_message = "zone_id must be \"\" when create_zone = true (the stack creates the zone). Either set create_zone = false to use that zone or leave zone_id empty."
  }
}

variable "host_name" {
  description = "Host name the certificate is issued for (plus \"*.<host_name>\"). \"\" (default) means \"<environment>.<domain_name>\"."
  type        = string
  default     = ""

  validation {
    condition     = var.host_name == "" || (length(var.host_name) <= 64 && can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.host_name)))
    error_message = "host_name must be \"\" or a lowercase DNS name of at most 64 characters without wildcard or trailing dot, e.g. \"dev.example.com\". Fix the value of host_name."
  }

  validation {
    condition     = var.host_name == "" || var.host_name == var.domain_name || endswith(var.host_name, ".${var.domain_name}")
    error_message = "host_name must be inside the zone domain_name: equal to domain_name or ending with \".<domain_name>\" (e.g. \"dev.example.com\" for \"example.com\"), or \"\" for \"<environment>.<domain_name>\". Fix host_name or domain_name."
  }
}

variable "certificate_validation_timeout" {
  description = "How long to wait for ACM to issue the certificate, as a duration such as \"45m\" or \"1h30m\"."
  type        = string
  default     = "45m"

  validation {
    condition     = var.certificate_validation_timeout != "" && can(regex("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$", var.certificate_validation_timeout))
    error_message = "certificate_validation_timeout must be a duration of hours/minutes/seconds such as \"45m\", \"2h\" or \"1h30m\". Fix the value of certificate_validation_timeout."
  }
}
