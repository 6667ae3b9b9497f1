variable "domain_name" {
  description = "Apex of the public Route 53 hosted zone, lowercase and without a trailing dot (e.g. \"example.com\")."
  type        = string

  validation {
    condition     = length(var.domain_name) <= 253 && can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name of at least two labels without a trailing dot (labels of 1-63 letters, digits or hyphens, not starting or ending with a hyphen), e.g. \"example.com\". Fix the value of domain_name."
  }
}

variable "create_zone" {
  description = "true: create the public hosted zone for domain_name. false (default): use an existing public zone, given by zone_id or looked up by domain_name."
  type        = bool
  default     = false
}

variable "zone_id" {
  description = "ID of an existing public hosted zone for domain_name (e.g. \"Z0123456789ABCDEFGHIJ\"). Only used when create_zone = false; null or \"\" looks the zone up by domain_name."
  type        = string
  default     = null

  validation {
    condition     = var.zone_id == null || var.zone_id == "" || can(regex("^[A-Z0-9]{1,32}$", coalesce(var.zone_id, "-")))
    error_message = "zone_id must be null, \"\" or a bare hosted zone ID of uppercase letters and digits, e.g. \"Z0123456789ABCDEFGHIJ\" (not \"/hostedzone/Z...\"). Fix the value of zone_id."
  }

  validation {
    condition     = !var.create_zone || var.zone_id == null || var.zone_id == ""
    error_message = "zone_id must be null or \"\" when create_zone = true (the module creates the zone). Either set create_zone = false to use that zone or leave zone_id empty."
  }
}

variable "host_name" {
  description = "Environment host name the certificate is issued for (e.g. \"dev.example.com\"); \"*.<host_name>\" is always added as a SAN. Must be domain_name itself or a name inside it."
  type        = string

  validation {
    condition     = length(var.host_name) <= 64 && can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.host_name))
    error_message = "host_name must be a lowercase DNS name of at most 64 characters (ACM limit for the certificate's primary name) without wildcard or trailing dot, e.g. \"dev.example.com\". Fix the value of host_name."
  }

  validation {
    condition     = var.host_name == var.domain_name || endswith(var.host_name, ".${var.domain_name}")
    error_message = "host_name must be inside the zone domain_name: equal to domain_name or ending with \".<domain_name>\" (e.g. \"dev.example.com\" for domain_name \"example.com\"), because its validation records are written to that zone. Fix host_name or domain_name."
  }
}

variable "subject_alternative_names" {
  description = "Extra certificate SANs besides host_name and \"*.<host_name>\" (e.g. [\"api.example.com\"]). Each must be inside domain_name; a leading \"*.\" is allowed."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for n in var.subject_alternative_names : length(n) <= 253 && can(regex("^(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", n))])
    error_message = "subject_alternative_names entries must be lowercase DNS names without a trailing dot, optionally starting with \"*.\", e.g. \"api.example.com\" or \"*.api.example.com\". Fix the value of subject_alternative_names."
  }

  validation {
    condition     = alltrue([for n in var.subject_alternative_names : trimprefix(n, "*.") == var.domain_name || endswith(n, ".${var.domain_name}")])
    error_message = "Every subject_alternative_names entry must be inside the zone domain_name (equal to it or ending with \".<domain_name>\"), because its validation record is written to that zone. Remove or fix the offending entry."
  }
}

variable "key_algorithm" {
  description = "Key algorithm of the certificate: RSA_2048 (default, widest client support), EC_prime256v1 or EC_secp384r1."
  type        = string
  default     = "RSA_2048"

  validation {
    condition     = contains(["RSA_2048", "EC_prime256v1", "EC_secp384r1"], var.key_algorithm)
    error_message = "key_algorithm must be \"RSA_2048\", \"EC_prime256v1\" or \"EC_secp384r1\" (the algorithms ACM issues DNS-validated public certificates with). Fix the value of key_algorithm."
  }
}

variable "validation_timeout" {
  description = "How long aws_acm_certificate_validation waits for the certificate to be issued, as a Go duration (e.g. \"45m\", \"1h30m\")."
  type        = string
  default     = "45m"

  validation {
    condition     = var.validation_timeout != "" && can(regex("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$", var.validation_timeout))
    error_message = "validation_timeout must be a duration of hours/minutes/seconds such as \"45m\", \"2h\" or \"1h30m\". Fix the value of validation_timeout."
  }
}

variable "force_destroy_zone" {
  description = "Let terraform destroy a module-created zone even if it still holds records managed elsewhere (ignored for existing zones)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags merged onto every resource."
  type        = map(string)
  default     = {}
}
