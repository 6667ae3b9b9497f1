variable "bucket_name" {
  description = "Name of the S3 bucket that stores Terraform state. Must be globally unique and follow the S3 bucket naming rules."
  type        = string

  validation {
    condition = (
      can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name)) &&
      !can(regex("\\.\\.|\\.-|-\\.", var.bucket_name)) &&
      !can(regex("^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$", var.bucket_name)) &&
      !startswith(var.bucket_name, "xn--") &&
      !startswith(var.bucket_name, "sthree-") &&
      !endswith(var.bucket_name, "-s3alias") &&
      !endswith(var.bucket_name, "--ol-s3")
    )
    error_message = "bucket_name must be a valid S3 bucket name: 3-63 characters of lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no consecutive dots, not an IP address, and not starting with \"xn--\"/\"sthree-\" or ending with \"-s3alias\"/\"--ol-s3\". Example: \"shopfront-tfstate-123456789012\"."
  }
}

variable "lock_table_name" {
  description = "Name of the DynamoDB table used for Terraform state locking (hash key LockID)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.lock_table_name))
    error_message = "lock_table_name must be 3-255 characters of letters, digits, underscores, hyphens or dots. Example: \"shopfront-tflock\"."
  }
}

variable "kms_key_alias" {
  description = "Alias for the customer-managed KMS key, WITHOUT the \"alias/\" prefix (the module adds it)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_-]{1,250}$", var.kms_key_alias)) && !startswith(var.kms_key_alias, "alias/") && !startswith(lower(var.kms_key_alias), "aws/")
    error_message = "kms_key_alias must be 1-250 characters of letters, digits, \"/\", \"_\" or \"-\", given WITHOUT the \"alias/\" prefix and not starting with the reserved \"aws/\". Example: \"shopfront-tfstate\"."
  }
}

variable "kms_deletion_window_in_days" {
  description = "Waiting period, in days, before the KMS key is deleted after it is scheduled for deletion."
  type        = number
  default     = 7

  validation {
    condition     = var.kms_deletion_window_in_days >= 7 && var.kms_deletion_window_in_days <= 30 && floor(var.kms_deletion_window_in_days) == var.kms_deletion_window_in_days
    error_message = "kms_deletion_window_in_days must be a whole number between 7 and 30."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Number of days after which noncurrent (superseded) state object versions are permanently deleted."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of at least 1."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Number of days after which incomplete multipart uploads are aborted."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1 && floor(var.abort_incomplete_multipart_upload_days) == var.abort_incomplete_multipart_upload_days
    error_message = "abort_incomplete_multipart_upload_days must be a whole number of at least 1."
  }
}

variable "deny_insecure_transport" {
  description = "Add the bucket-policy statement denying every request made without TLS (aws:SecureTransport = false). Keep true; only set false against local emulators such as moto, which ignore policy Conditions and would deny every object request."
  type        = bool
  default     = true
}

variable "enforce_kms_encrypted_uploads" {
  description = "When true, the bucket policy also denies PutObject requests that do not ask for SSE-KMS (x-amz-server-side-encryption = aws:kms). Only enable it when every writer passes kms_key_id to the S3 backend."
  type        = bool
  default     = false
}

variable "lock_table_deletion_protection" {
  description = "Enable DynamoDB deletion protection on the lock table."
  type        = bool
  default     = false
}

variable "force_destroy" {
  description = "Allow Terraform to delete the bucket even when it still holds objects. Keep false: callers must empty the bucket (all versions and delete markers) before destroying it."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags applied to every resource created by the module."
  type        = map(string)
  default     = {}
}
